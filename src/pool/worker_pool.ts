/**
 * The thread pool behind `--threads N`: N Deno workers host spawned programs; a new process goes to a
 * worker with nothing to run, the rest wait in a queue, in spawn order. Each worker schedules the
 * processes it hosts (src/pool/scheduler.ts) and keeps their mailboxes: a message between two processes
 * of one worker stays there; any other (another worker's process, `!send`) is routed here. A process
 * waiting in `recv`, `recvt` or `sleep` holds no thread: its worker idles or runs others. A kill sets the
 * process's kill flag, which stops its machine within a few thousand instructions. The pool owns the
 * process table.
 */
import type { AppRequest } from "../repl/app_request.ts";
import {
  closeMailbox,
  counterOf,
  createCounters,
  isSlotFree,
  openMailbox,
  reserveMessage,
  RUNNING,
  stateOf,
  WAITING,
} from "./directory.ts";
import { passMessage } from "./message_access.ts";
import { Routes } from "./routes.ts";
import type { Subject } from "../access/policy.ts";
import type { Message } from "../vm/create_machine.ts";
import { isFinished, now, type ProcessInfo, type ProcessState, ProcessTable } from "./process_table.ts";
import type { RunRequest, WorkerCommand, WorkerReport } from "./protocol.ts";
import type { PoolLimits, ProcessService, SpawnRequest } from "./process_service.ts";

export type { PoolLimits, ProcessService, SpawnRequest } from "./process_service.ts";

interface Slot {
  worker: Worker;
  /** Run requests posted to it; it is busy until it reports idle after the last of them. */
  runs: number;
  busy: boolean;
}

/** What a worker needs to run a process, less what changes with each run (see #request). */
type ProcessRequest = Pick<
  RunRequest,
  "type" | "pid" | "rodata" | "code" | "entry" | "heapLimit" | "stackLimit" | "endIsHalt" | "owner" | "rights"
>;

/** N workers and a FIFO queue; see the module comment. */
export class WorkerPool implements ProcessService {
  readonly table = new ProcessTable();
  #slots: Slot[] = [];
  #queue: number[] = [];
  /** Each unfinished process's kill flag (RunRequest.kill). */
  #kills = new Map<number, Int32Array>();
  /** The program and limits of every process that has not finished. */
  #requests = new Map<number, ProcessRequest>();
  /** The rights of each unfinished process, as given at its spawn; null: an admin's, no limit. */
  #rights = new Map<number, Subject | null>();
  #waiters = new Map<number, (() => void)[]>();
  #closed = false;
  #relayed = 0;
  readonly #routes = new Routes<Slot>({
    post: (slot, command) => this.#post(slot, command),
    run: (slot, pid, how) => this.#run(slot, pid, how),
    isLive: (slot) => this.#slots.includes(slot),
    first: () => this.#slots[0],
    isFinished: (pid) => isFinished(this.table.get(pid)?.state ?? "killed"),
  });
  get #directory() {
    return this.#routes.directory;
  }
  readonly #counters = createCounters();
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

  /** Messages between processes that went through the main thread (a `send` to another worker's process). */
  get relayedMessages(): number {
    return this.#relayed;
  }

  #ensureStarted(): void {
    if (this.#slots.length > 0) return;
    for (let i = 0; i < this.size; i++) this.#slots.push(this.#startSlot());
  }

  #startSlot(): Slot {
    const worker = new Worker(new URL("./pool_worker.ts", import.meta.url), { type: "module" });
    const slot: Slot = { worker, runs: 0, busy: false };
    worker.onmessage = (event: MessageEvent<WorkerReport>) => this.#onReport(slot, event.data);
    worker.onerror = (event) => {
      // A crash inside a worker faults its processes and never reaches the host.
      event.preventDefault();
      this.#replaceWorker(slot, "faulted", `fault: worker crashed: ${event.message}`);
    };
    return slot;
  }

  #post(slot: Slot, command: WorkerCommand): void {
    slot.worker.postMessage(command);
  }

  #onReport(slot: Slot, message: WorkerReport): void {
    switch (message.type) {
      case "ready":
        return;
      case "send": {
        // The directory accepted it; the receiver may have ended since, or be out of the sender's reach.
        this.#relayed++;
        const target = this.table.get(message.to);
        const rights = this.#rights.get(message.from);
        if (!target || !passMessage(this.#directory, rights, message.to, target.owner)) return;
        if (!isFinished(target.state)) this.#routes.route(message.from, message.to, message.value, slot);
        return;
      }
      case "idle":
        if (message.runs === slot.runs) slot.busy = false;
        return this.#dispatch();
      case "released":
        if (!this.#routes.moving.has(message.pid)) return;
        this.table.get(message.pid)!.executed = message.executed;
        return this.#routes.arrive(message);
      case "kept":
        return this.#routes.stay(message.pid);
    }
    if (this.#routes.where.get(message.pid) !== slot) return; // killed, or a report of a worker it left
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
      case "done":
        info.executed = message.executed;
        this.#finish(info, message.status, message.fault);
        // A worker left hosting nothing is free now, not when its "idle" report arrives after this one.
        if (![...this.#routes.where.values()].includes(slot)) {
          slot.busy = false;
          this.#dispatch();
        }
        break;
    }
  }

  #finish(info: ProcessInfo, state: "halted" | "faulted" | "killed", fault?: string): void {
    closeMailbox(this.#directory, info.pid);
    const kill = this.#kills.get(info.pid);
    if (kill) Atomics.store(kill, 0, 1);
    const at = this.#routes.where.get(info.pid);
    if (at && state === "killed") this.#post(at, { type: "kill", pid: info.pid });
    this.#routes.forget(info.pid);
    this.#kills.delete(info.pid);
    this.#requests.delete(info.pid);
    this.#rights.delete(info.pid);
    info.state = state;
    if (fault) info.fault = fault;
    info.endedAt = now();
    for (const wake of this.#waiters.get(info.pid) ?? []) wake();
    this.#waiters.delete(info.pid);
    this.table.pruneFinished(this.#maxFinished);
  }

  /** Ends every process `slot` hosts with `state` and puts a fresh worker in its place. */
  #replaceWorker(slot: Slot, state: "faulted" | "killed", fault?: string): void {
    const index = this.#slots.indexOf(slot);
    for (const [pid, at] of [...this.#routes.where]) {
      if (at === slot) this.#finish(this.table.get(pid)!, state, fault);
    }
    slot.worker.terminate();
    if (this.#closed || index < 0) return;
    this.#slots[index] = this.#startSlot();
    this.#dispatch();
  }

  /** Gives queued processes to idle workers, in order. */
  #dispatch(): void {
    while (this.#queue.length > 0) {
      const slot = this.#slots.find((s) => !s.busy);
      if (!slot) return;
      const pid = this.#queue.shift()!;
      this.#run(slot, pid, { messages: this.#routes.takeHeld(pid) });
    }
  }

  /** Makes `slot` the host of `pid` and runs it there. */
  #run(slot: Slot, pid: number, how: { resume?: RunRequest["resume"]; messages: Message[] }): void {
    const info = this.table.get(pid)!;
    const kill = new Int32Array(new SharedArrayBuffer(4));
    this.#kills.set(pid, kill);
    this.#routes.where.set(pid, slot);
    slot.busy = true;
    slot.runs++;
    this.#post(slot, {
      ...this.#requests.get(pid)!,
      kill,
      resume: how.resume,
      executed: info.executed,
      startedAt: info.startedAt ?? Date.now(),
      messages: how.messages,
      names: [...this.#names],
      directory: this.#directory,
      counters: this.#counters,
      mailboxLimit: this.#mailboxLimit,
    });
  }

  /**
   * Delivers `value` to PID `to` from `from` (0: a session or the host), as `send` does: false, and
   * nothing delivered, when `to` is no live process or its mailbox is full.
   */
  deliver(from: number, to: number, value: number): boolean {
    if (!reserveMessage(this.#directory, to, this.#mailboxLimit)) return false;
    this.#routes.route(from, to, value);
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
    for (const slot of this.#slots) this.#post(slot, { type: "names", names: [...this.#names] });
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
      owner: request.owner,
      rights: request.rights ?? null,
    });
    this.#queue.push(info.pid);
    this.#dispatch();
    const queued = this.#queue.includes(info.pid);
    return Promise.resolve({ ...info, queued });
  }

  list(): Promise<ProcessInfo[]> {
    return Promise.resolve(this.table.list().map((p) => this.#current(p)));
  }

  /** A copy of `info` with the state and instruction count its worker records (src/pool/directory.ts). */
  #current(info: ProcessInfo): ProcessInfo {
    const copy = { ...info };
    if (!this.#routes.where.has(info.pid) || isFinished(info.state)) return copy;
    const state = stateOf(this.#directory, info.pid);
    if (this.#routes.moving.has(info.pid) || state === WAITING) copy.state = "waiting";
    else if (state === RUNNING && copy.state !== "queued") copy.state = "running";
    copy.executed = Math.max(copy.executed, this.#counters[counterOf(info.pid)]);
    return copy;
  }

  /** The state `!ps` shows for process `pid`, if the table has it. */
  stateOf(pid: number): ProcessState | undefined {
    const info = this.table.get(pid);
    return info && this.#current(info).state;
  }

  /** Stops a queued or running process; a finished one is left as it is. */
  kill(pid: number): Promise<ProcessInfo> {
    try {
      const info = this.#require(pid);
      if (!isFinished(info.state)) {
        // A running machine sees its kill flag within a few thousand instructions; a waiting one is
        // just forgotten by its worker.
        this.#queue = this.#queue.filter((q) => q !== pid);
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
    for (const pid of this.#queue) this.#finish(this.table.get(pid)!, "killed");
    this.#queue = [];
    for (const slot of this.#slots) this.#replaceWorker(slot, "killed");
    for (const info of this.table.list()) if (!isFinished(info.state)) this.#finish(info, "killed");
    this.#slots = [];
  }
}
