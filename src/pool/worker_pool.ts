/**
 * The thread pool behind `--threads N`: N Deno workers run spawned programs side by side; the rest wait in
 * a queue, in spawn order. A process waiting in `recv`, `recvt` or `sleep` holds no worker: its saved
 * state stays here, parked, until a message or its time puts it back in the queue (src/pool/mailboxes.ts
 * has the mailboxes and the timers). A kill terminates the worker running that process and starts a fresh
 * one, so the pool keeps its N workers and an endless loop stops at once; a waiting process just ends.
 * The pool owns the process table.
 */
import type { AppRequest } from "../repl/app_request.ts";
import type { Program } from "../bytecode/program.ts";
import { closeMailbox, createDirectory, isSlotFree, openMailbox, reserveMessage } from "./directory.ts";
import { namesFor, passMessage } from "./message_access.ts";
import type { Subject } from "../access/policy.ts";
import { Mailboxes } from "./mailboxes.ts";
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
  /** Whose rights decide whom the process may message (message_access.ts): its owner's; none: an admin. */
  rights?: Subject;
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
  /**
   * `!send`: delivers `value` from sender 0 to a PID or a running application's name; resolves to the
   * line to print, rejects when nothing was delivered.
   */
  send(target: string, value: number): Promise<string>;
  /** An application request (src/apps/app_requests.ts); resolves to the text to print. */
  apps(request: AppRequest): Promise<string>;
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
  /** Messages a mailbox holds at most; a send to a full one is not delivered. Default 10,000. */
  mailboxLimit?: number;
}

/** What a worker needs to run a process, less what changes with each run (see #request). */
type ProcessRequest = Omit<
  RunRequest,
  | "kill"
  | "resume"
  | "onSameWorker"
  | "executed"
  | "startedAt"
  | "messages"
  | "names"
  | "blocked"
  | "directory"
  | "mailboxLimit"
>;

/** A process in the queue: a new one, or a waiting one to resume. */
interface Queued {
  pid: number;
  resume?: RunRequest["resume"];
}

/** N workers and a FIFO queue; see the module comment. */
export class WorkerPool implements ProcessService {
  readonly table = new ProcessTable();
  #slots: Slot[] = [];
  #queue: Queued[] = [];
  /** The worker each waiting process waited on. */
  #lastSlot = new Map<number, Slot>();
  /** The program and limits of every process that has not finished. */
  #requests = new Map<number, ProcessRequest>();
  /** The rights of each unfinished process, as given at its spawn; null: an admin's, no limit. */
  #rights = new Map<number, Subject | null>();
  #waiters = new Map<number, (() => void)[]>();
  #closed = false;
  readonly #directory = createDirectory();
  readonly #mailboxes = new Mailboxes((pid, resume) => this.#enqueue({ pid, resume }));
  /** Running applications by name, for `whereis` (set by the supervisor). */
  readonly #names = new Map<string, number>();
  /** Called with every piece of output of every process (the application logs). */
  onOutput?: (pid: number, text: string) => void;
  /** Answers application requests where the VM runs applications (src/apps/supervisor.ts). */
  appRequests?: (request: AppRequest) => Promise<string>;

  readonly #maxQueued: number;
  readonly #maxFinished: number;
  readonly #mailboxLimit: number;

  /** Workers start at the first spawn, so a REPL that never spawns costs no threads. */
  constructor(readonly size: number, limits: PoolLimits = {}) {
    this.#maxQueued = limits.maxQueued ?? 1_000;
    this.#maxFinished = limits.maxFinished ?? 1_000;
    this.#mailboxLimit = limits.mailboxLimit ?? 10_000;
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
    if (message.type === "send") {
      // The directory accepted it; the receiver may have ended since, or be out of the sender's reach.
      const target = this.table.get(message.to);
      const rights = this.#rights.get(message.from);
      if (!target || !passMessage(this.#directory, rights, message.to, target.owner)) return;
      if (!isFinished(target.state)) this.#mailboxes.deliver(message.to, message);
      return;
    }
    if (message.type === "ready" || message.pid !== slot.pid) return;
    const info = this.table.get(message.pid)!;
    switch (message.type) {
      case "started":
        info.state = "running";
        info.startedAt = now();
        break;
      case "output":
        this.table.appendOutput(message.pid, message.text);
        this.onOutput?.(message.pid, message.text);
        break;
      case "waiting":
        info.executed = message.executed;
        info.state = "waiting";
        slot.pid = undefined;
        this.#lastSlot.set(message.pid, slot);
        this.#mailboxes.park(message.pid, message);
        this.#dispatch();
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
    closeMailbox(this.#directory, info.pid);
    this.#mailboxes.forget(info.pid);
    this.#requests.delete(info.pid);
    this.#rights.delete(info.pid);
    this.#lastSlot.delete(info.pid);
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

  #enqueue(entry: Queued): void {
    this.#queue.push(entry);
    this.#dispatch();
  }

  /**
   * Gives queued processes to free workers, in order; a process that waited goes back to the worker it
   * waited on when that one is free, which still holds its machine (src/pool/pool_worker.ts).
   */
  #dispatch(): void {
    while (this.#queue.length > 0) {
      const free = this.#slots.filter((slot) => slot.pid === undefined);
      if (free.length === 0) return;
      const next = this.#queue.shift()!;
      const last = this.#lastSlot.get(next.pid);
      const slot = last && free.includes(last) ? last : free[0];
      slot.pid = next.pid;
      slot.worker.postMessage(this.#request(next, slot.kill, slot === last));
    }
  }

  /** The message that runs `entry` on a worker: its mailbox's messages go with it. */
  #request(entry: Queued, kill: Int32Array, onSameWorker: boolean): RunRequest {
    const info = this.table.get(entry.pid)!;
    const { visible, blocked } = namesFor(this.#rights.get(entry.pid) ?? undefined, this.#names);
    return {
      ...this.#requests.get(entry.pid)!,
      kill,
      resume: entry.resume,
      onSameWorker,
      executed: info.executed,
      startedAt: info.startedAt ?? Date.now(),
      messages: this.#mailboxes.take(entry.pid),
      names: visible,
      blocked,
      directory: this.#directory,
      mailboxLimit: this.#mailboxLimit,
    };
  }

  /**
   * Delivers `value` to PID `to` from `from` (0: a session or the host), as `send` does: false, and
   * nothing delivered, when `to` is no live process or its mailbox is full.
   */
  deliver(from: number, to: number, value: number): boolean {
    if (!reserveMessage(this.#directory, to, this.#mailboxLimit)) return false;
    this.#mailboxes.deliver(to, { from, value });
    return true;
  }

  send(target: string, value: number): Promise<string> {
    const pid = /^[0-9]+$/.test(target) ? Number(target) : this.whereis(target);
    if (pid === 0 && !/^[0-9]+$/.test(target)) {
      return Promise.reject(new Error(`no running application named '${target}'`));
    }
    if (!this.deliver(0, pid, value)) {
      return Promise.reject(
        new Error(`not delivered: process ${pid} does not exist, has ended or has a full mailbox`),
      );
    }
    return Promise.resolve(`sent ${value} to process ${pid}`);
  }

  apps(request: AppRequest): Promise<string> {
    if (!this.appRequests) return Promise.reject(new Error("applications are not available here"));
    return this.appRequests(request);
  }

  /** PID of the running application `name`, else 0. */
  whereis(name: string): number {
    return this.#names.get(name) ?? 0;
  }

  /** Names process `pid` for `whereis`, or forgets the name (pid undefined). */
  setName(name: string, pid: number | undefined): void {
    if (pid === undefined) this.#names.delete(name);
    else this.#names.set(name, pid);
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
    const info = this.table.add(request.source, request.owner, (pid) => isSlotFree(this.#directory, pid));
    openMailbox(this.#directory, info.pid);
    const { program, heapLimit, stackLimit } = request;
    const endIsHalt = request.endIsHalt ?? false;
    const { code, rodata, entry } = program;
    this.#rights.set(info.pid, request.rights ?? null);
    this.#requests.set(info.pid, {
      type: "run",
      pid: info.pid,
      code,
      rodata,
      entry,
      heapLimit,
      stackLimit,
      endIsHalt,
    });
    this.#queue.push({ pid: info.pid });
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
      } else if (!isFinished(info.state)) {
        // Queued, or waiting (parked here, or woken and queued): nothing runs it, it just ends.
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
    for (const info of this.table.list()) if (info.state === "waiting") this.#finish(info, "killed");
    for (const slot of this.#slots) this.#replaceWorker(slot, "killed");
    this.#slots = [];
  }
}
