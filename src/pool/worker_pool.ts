/**
 * The thread pool behind `--threads N`: N Deno workers run spawned programs side by side; the rest wait in
 * a queue, in spawn order. A kill terminates the worker running that process and starts a fresh one, so the
 * pool keeps its N workers and an endless loop stops at once. The pool owns the process table.
 */
import type { Program } from "../bytecode/program.ts";
import { isFinished, now, type ProcessInfo, ProcessTable } from "./process_table.ts";
import type { RunRequest, WorkerReport } from "./protocol.ts";

/** A program to run as a process. */
export interface SpawnRequest {
  program: Program;
  /** The file's name, or "<repl>" for a session's own program. */
  source: string;
  /** Who spawned it, shown by `!ps`. */
  owner: string;
  heapLimit: number;
  stackLimit: number;
  /** The end of the code ends the process normally: true for a session's program, which has no `hlt`. */
  endIsHalt?: boolean;
  /** Running + queued processes `owner` may have at once; the spawn is refused past it. None: no limit. */
  quota?: number;
}

/**
 * What REPL sessions use to manage processes. Methods are async so a session in another worker (SSH) can
 * reach the pool through messages with the same interface. Unknown PIDs reject with an Error.
 */
export interface ProcessService {
  /** Resolves with the new process's record; `queued`: it waits for a free thread. */
  spawn(request: SpawnRequest): Promise<ProcessInfo & { queued: boolean }>;
  list(): Promise<ProcessInfo[]>;
  kill(pid: number): Promise<ProcessInfo>;
  output(pid: number): Promise<string>;
  /** Resolves when the process has finished; rejects with an AbortError if `signal` aborts first. */
  wait(pid: number, signal?: AbortSignal): Promise<ProcessInfo>;
}

interface Slot {
  worker: Worker;
  /** The PID it runs, if any. */
  pid?: number;
  /** Set to stop the program the worker runs (RunRequest.kill); one per worker, never reused. */
  kill: Int32Array;
}

/** Bounds that keep the table's memory finite whatever sessions do (a `!spawn` loop, for one). */
export interface PoolLimits {
  /** Processes waiting for a worker at most; a spawn past it is refused. Default 1,000. */
  maxQueued?: number;
  /** Finished processes kept for `!ps`, `!output` and `!wait`; older ones are forgotten. Default 1,000. */
  maxFinished?: number;
}

/** N workers and a FIFO queue; see the module comment. */
export class WorkerPool implements ProcessService {
  readonly table = new ProcessTable();
  #slots: Slot[] = [];
  #queue: { pid: number; request: Omit<RunRequest, "kill"> }[] = [];
  #waiters = new Map<number, (() => void)[]>();
  #closed = false;

  readonly #maxQueued: number;
  readonly #maxFinished: number;

  /** Workers start at the first spawn, so a REPL that never spawns costs no threads. */
  constructor(readonly size: number, limits: PoolLimits = {}) {
    this.#maxQueued = limits.maxQueued ?? 1_000;
    this.#maxFinished = limits.maxFinished ?? 1_000;
  }

  #ensureStarted(): void {
    if (this.#slots.length > 0) return;
    for (let i = 0; i < this.size; i++) this.#slots.push(this.#startSlot());
  }

  #startSlot(): Slot {
    const worker = new Worker(new URL("./pool_worker.ts", import.meta.url), { type: "module" });
    const slot: Slot = { worker, kill: new Int32Array(new SharedArrayBuffer(4)) };
    worker.onmessage = (event: MessageEvent<WorkerReport>) => this.#onReport(slot, event.data);
    worker.onerror = (event) => {
      // A crash inside a worker faults its process and never reaches the host.
      event.preventDefault();
      this.#replaceWorker(slot, "faulted", `fault: worker crashed: ${event.message}`);
    };
    return slot;
  }

  #onReport(slot: Slot, message: WorkerReport): void {
    if (message.type === "ready" || message.pid !== slot.pid) return;
    const info = this.table.get(message.pid)!;
    switch (message.type) {
      case "started":
        info.state = "running";
        info.startedAt = now();
        break;
      case "output":
        this.table.appendOutput(message.pid, message.text);
        break;
      case "progress":
        info.executed = message.executed;
        break;
      case "done":
        info.executed = message.executed;
        slot.pid = undefined;
        this.#finish(info, message.status, message.fault);
        this.#dispatch();
        break;
    }
  }

  #finish(info: ProcessInfo, state: "halted" | "faulted" | "killed", fault?: string): void {
    info.state = state;
    if (fault) info.fault = fault;
    info.endedAt = now();
    for (const wake of this.#waiters.get(info.pid) ?? []) wake();
    this.#waiters.delete(info.pid);
    this.table.pruneFinished(this.#maxFinished);
  }

  /** Ends whatever `slot` runs with `state` and puts a fresh worker in its place. */
  #replaceWorker(slot: Slot, state: "faulted" | "killed", fault?: string): void {
    Atomics.store(slot.kill, 0, 1);
    slot.worker.terminate();
    const pid = slot.pid;
    const index = this.#slots.indexOf(slot);
    if (pid !== undefined) this.#finish(this.table.get(pid)!, state, fault);
    if (this.#closed || index < 0) return;
    this.#slots[index] = this.#startSlot();
    this.#dispatch();
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (slot.pid !== undefined) continue;
      const next = this.#queue.shift();
      if (!next) return;
      slot.pid = next.pid;
      slot.worker.postMessage({ ...next.request, kill: slot.kill });
    }
  }

  #require(pid: number): ProcessInfo {
    const info = this.table.get(pid);
    if (!info) throw new Error(`no process with PID ${pid}`);
    return info;
  }

  /** Queues the program and starts it as soon as a worker is free; resolves at once with its record. */
  spawn(request: SpawnRequest): Promise<ProcessInfo & { queued: boolean }> {
    if (this.#closed) return Promise.reject(new Error("the thread pool is shut down"));
    if (this.#queue.length >= this.#maxQueued) {
      return Promise.reject(
        new Error(`too many processes waiting for a worker (at most ${this.#maxQueued})`),
      );
    }
    if (request.quota !== undefined) {
      const active = this.table.list().filter((p) =>
        p.owner === request.owner && !isFinished(p.state)
      ).length;
      if (active >= request.quota) {
        return Promise.reject(
          new Error(
            `too many processes: '${request.owner}' has ${active} running or queued (at most ${request.quota})`,
          ),
        );
      }
    }
    this.#ensureStarted();
    const info = this.table.add(request.source, request.owner);
    const { program, heapLimit, stackLimit } = request;
    const endIsHalt = request.endIsHalt ?? false;
    this.#queue.push({
      pid: info.pid,
      request: { type: "run", pid: info.pid, ...program, heapLimit, stackLimit, endIsHalt },
    });
    this.#dispatch();
    const queued = this.#queue.some((q) => q.pid === info.pid);
    return Promise.resolve({ ...info, queued });
  }

  list(): Promise<ProcessInfo[]> {
    return Promise.resolve(this.table.list().map((p) => ({ ...p })));
  }

  /** Stops a queued or running process; a finished one is left as it is. */
  kill(pid: number): Promise<ProcessInfo> {
    try {
      const info = this.#require(pid);
      const slot = this.#slots.find((s) => s.pid === pid);
      if (slot) {
        this.#replaceWorker(slot, "killed");
      } else if (info.state === "queued") {
        this.#queue = this.#queue.filter((q) => q.pid !== pid);
        this.#finish(info, "killed");
      }
      return Promise.resolve({ ...info });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  output(pid: number): Promise<string> {
    try {
      this.#require(pid);
      return Promise.resolve(this.table.output(pid));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  wait(pid: number, signal?: AbortSignal): Promise<ProcessInfo> {
    let info: ProcessInfo;
    try {
      info = this.#require(pid);
    } catch (error) {
      return Promise.reject(error);
    }
    if (isFinished(info.state)) return Promise.resolve({ ...info });
    return new Promise((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve({ ...info });
      };
      const onAbort = () => {
        const list = this.#waiters.get(pid) ?? [];
        this.#waiters.set(pid, list.filter((w) => w !== wake));
        reject(new DOMException("stopped waiting", "AbortError"));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.set(pid, [...(this.#waiters.get(pid) ?? []), wake]);
    });
  }

  /** Workers in the pool right now: 0 before the first spawn, then `size` (the pool keeps its size). */
  get workerCount(): number {
    return this.#slots.length;
  }

  /** Kills everything and terminates the workers. */
  close(): void {
    this.#closed = true;
    for (const q of this.#queue) this.#finish(this.table.get(q.pid)!, "killed");
    this.#queue = [];
    for (const slot of this.#slots) this.#replaceWorker(slot, "killed");
    this.#slots = [];
  }
}
