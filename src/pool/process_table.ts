/**
 * The process table: one per Iridium process, shared by the local REPL and every SSH session.
 * Pure bookkeeping; the worker pool drives the state changes.
 */

/** Lifecycle of a process. */
export type ProcessState = "queued" | "running" | "waiting" | "halted" | "faulted" | "killed";

/** What `!ps` shows about a process. */
export interface ProcessInfo {
  readonly pid: number;
  /** The file's name, or "<repl>" for a session's own program. */
  readonly source: string;
  /** The session that spawned it, e.g. "local" or "ssh alice@127.0.0.1:50312 #1". */
  readonly owner: string;
  state: ProcessState;
  /** The fault message, for state "faulted". */
  fault?: string;
  /** Guest instructions executed so far. */
  executed: number;
  /** Milliseconds since the epoch (see now()) of the spawn request, the first instruction and the end. */
  readonly spawnedAt: number;
  startedAt?: number;
  endedAt?: number;
}

/** Output kept per process: the last 64 KiB, so a chatty process cannot exhaust memory. */
export const OUTPUT_LIMIT = 64 * 1024;

/**
 * The one clock of the process table: milliseconds since the epoch, with sub-millisecond precision, read on
 * the main thread only (a worker's clock may differ a little, which once made `!ps` show -0.00s).
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** True once a process can change no more. */
export function isFinished(state: ProcessState): boolean {
  return state === "halted" || state === "faulted" || state === "killed";
}

/** Milliseconds a process has run (so far, if it still runs). */
export function elapsedMs(info: ProcessInfo, at = now()): number {
  if (info.startedAt === undefined) return 0;
  return (info.endedAt ?? at) - info.startedAt;
}

/** PIDs increase and are never reused within a run. */
export class ProcessTable {
  #nextPid = 1;
  #processes = new Map<number, ProcessInfo>();
  #outputs = new Map<number, string>();

  /** Registers a new queued process and returns its record; `usable` may make it skip PIDs. */
  add(source: string, owner: string, usable: (pid: number) => boolean = () => true): ProcessInfo {
    while (!usable(this.#nextPid)) this.#nextPid++;
    const info: ProcessInfo = {
      pid: this.#nextPid++,
      source,
      owner,
      state: "queued",
      executed: 0,
      spawnedAt: now(),
    };
    this.#processes.set(info.pid, info);
    this.#outputs.set(info.pid, "");
    return info;
  }

  /** The record of `pid`, or undefined. */
  get(pid: number): ProcessInfo | undefined {
    return this.#processes.get(pid);
  }

  /** Forgets the oldest finished processes (and their output) beyond `keep` finished ones. */
  pruneFinished(keep: number): void {
    const finished = this.list().filter((p) => isFinished(p.state));
    for (const old of finished.slice(0, Math.max(0, finished.length - keep))) {
      this.#processes.delete(old.pid);
      this.#outputs.delete(old.pid);
    }
  }

  /** Every process, oldest first. */
  list(): ProcessInfo[] {
    return [...this.#processes.values()];
  }

  /** Appends output, keeping only the last OUTPUT_LIMIT characters. */
  appendOutput(pid: number, text: string): void {
    const kept = (this.#outputs.get(pid) ?? "") + text;
    this.#outputs.set(pid, kept.length > OUTPUT_LIMIT ? kept.slice(kept.length - OUTPUT_LIMIT) : kept);
  }

  /** What the process printed (the last OUTPUT_LIMIT characters). */
  output(pid: number): string {
    return this.#outputs.get(pid) ?? "";
  }
}

/** `!ps` as text: one header line and a row per process. */
export function formatProcessList(list: readonly ProcessInfo[], at = now()): string {
  if (list.length === 0) return "no processes\n";
  const rows = list.map((p) => [
    String(p.pid),
    p.state,
    String(p.executed),
    `${(elapsedMs(p, at) / 1000).toFixed(2)}s`,
    p.owner,
    p.source + (p.fault ? `  (${p.fault})` : ""),
  ]);
  const header = ["PID", "STATE", "INSTRUCTIONS", "ELAPSED", "OWNER", "SOURCE"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}
