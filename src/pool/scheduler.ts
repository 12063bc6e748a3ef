/**
 * The scheduler inside a pool worker, as Erlang's: it hosts processes, runs the ready ones in turns of
 * TURN instructions from a FIFO run queue, and hands a message from one of its processes to another
 * directly, so that processes on one worker talk without a thread hop. A process that waits keeps its
 * machine here and holds no thread: when nothing is ready the worker idles (and says so), free to take
 * other work. A message to a process elsewhere goes to the pool, which routes it.
 */
import { appOwner } from "../access/policy.ts";
import { closeMailbox, counterOf, reserveMessage, RUNNING, setState, WAITING } from "./directory.ts";
import { HostedProcess, type Surroundings } from "./hosted_process.ts";
import { mayMessage } from "./message_access.ts";
import type { RunRequest, WorkerCommand, WorkerReport } from "./protocol.ts";

/** Instructions per turn: a process that runs this long goes to the back of the run queue. */
const TURN = 100_000;
/** Instructions between two looks at the worker's own messages (deliveries, kills, new processes). */
const SLICE = 1_000_000;

/** The processes of one worker; `report` posts to the pool. */
export class Scheduler implements Surroundings {
  #hosted = new Map<number, HostedProcess>();
  #ready: HostedProcess[] = [];
  #names = new Map<string, number>();
  #appByPid = new Map<number, string>();
  #directory?: Int32Array;
  #counters?: Float64Array;
  #mailboxLimit = 0;
  #runs = 0;
  #running = false;
  #resume = new MessageChannel();

  constructor(readonly report: (message: WorkerReport) => void) {
    this.#resume.port1.onmessage = () => this.#loop();
  }

  /** Takes one command of the pool. */
  handle(command: WorkerCommand): void {
    switch (command.type) {
      case "run":
        return this.#host(command);
      case "deliver": {
        const target = this.#hosted.get(command.to);
        if (!target) return; // ended meanwhile: its mailbox is closed, the room with it
        target.push({ value: command.value, sender: command.from });
        return this.#wakeForMessage(target);
      }
      case "kill":
        return this.#forget(command.pid);
      case "release": {
        const process = this.#hosted.get(command.pid);
        if (!process || !process.waiting) return this.report({ type: "kept", pid: command.pid });
        this.#forget(command.pid);
        const { pid, executed } = process;
        return this.report({
          type: "released",
          pid,
          executed,
          state: process.machine.save(),
          unread: process.unread(),
        });
      }
      case "names":
        return this.#setNames(command.names);
    }
  }

  send(from: HostedProcess, to: number, value: number): boolean {
    const directory = this.#directory!;
    const app = this.#appByPid.get(to);
    if (app !== undefined && !mayMessage(from.rights, appOwner(app))) return false;
    const target = this.#hosted.get(to);
    if (target && !mayMessage(from.rights, target.owner)) return false;
    if (!reserveMessage(directory, to, this.#mailboxLimit)) return false;
    if (!target) {
      this.report({ type: "send", from: from.pid, to, value });
      return true;
    }
    target.push({ value, sender: from.pid });
    this.#wakeForMessage(target);
    return true;
  }

  whereis(from: HostedProcess, name: string): number {
    const pid = this.#names.get(name) ?? 0;
    return pid !== 0 && mayMessage(from.rights, appOwner(name)) ? pid : 0;
  }

  output(pid: number, text: string): void {
    this.report({ type: "output", pid, text });
  }

  #host(request: RunRequest): void {
    this.#runs++;
    this.#directory = request.directory;
    this.#counters = request.counters;
    this.#mailboxLimit = request.mailboxLimit;
    this.#setNames(request.names);
    const process = new HostedProcess(request, this);
    this.#hosted.set(process.pid, process);
    if (!request.resume) this.report({ type: "started", pid: process.pid });
    this.#makeReady(process);
    this.#loop();
  }

  #setNames(names: [string, number][]): void {
    this.#names = new Map(names);
    this.#appByPid = new Map(names.map(([name, pid]) => [pid, name]));
  }

  #forget(pid: number): void {
    const process = this.#hosted.get(pid);
    if (!process) return;
    clearTimeout(process.timer);
    this.#hosted.delete(pid);
    if (process.queued) this.#ready = this.#ready.filter((p) => p !== process);
  }

  #wakeForMessage(process: HostedProcess): void {
    if (process.waiting && process.waitsForMessage) this.#wake(process);
  }

  #wake(process: HostedProcess): void {
    if (!process.waiting || this.#hosted.get(process.pid) !== process) return;
    if (process.timer !== undefined) {
      clearTimeout(process.timer);
      process.timer = undefined;
    }
    process.waiting = false;
    this.#makeReady(process);
    if (!this.#running) this.#loop();
  }

  #makeReady(process: HostedProcess): void {
    setState(this.#directory!, process.pid, RUNNING);
    process.queued = true;
    this.#ready.push(process);
  }

  /** Runs ready processes in turns until none is ready or a slice is spent (then it goes on later). */
  #loop(): void {
    if (this.#running) return;
    this.#running = true;
    let spent = 0;
    while (this.#ready.length > 0 && spent < SLICE) {
      const process = this.#ready.shift()!;
      process.queued = false;
      const result = process.machine.run(TURN);
      process.executed += result.executed;
      spent += result.executed;
      this.#counters![counterOf(process.pid)] = process.executed;
      process.output.drain();
      switch (result.status) {
        case "interrupted":
          this.#forget(process.pid); // killed: the pool has recorded it already
          break;
        case "budget":
          process.compute();
          this.#makeReady(process);
          break;
        case "waiting":
          this.#park(process, result.wakeAt, !!result.waitsForMessage);
          break;
        default: {
          // "ended" comes only with endIsHalt: the end of a session's program is its normal end.
          this.#forget(process.pid);
          closeMailbox(this.#directory!, process.pid);
          const status = result.status === "faulted" ? "faulted" : "halted";
          const { pid, executed } = process;
          this.report({ type: "done", pid, executed, status, fault: result.fault?.message });
        }
      }
    }
    this.#running = false;
    if (this.#ready.length > 0) this.#resume.port2.postMessage(0);
    else this.report({ type: "idle", runs: this.#runs });
  }

  #park(process: HostedProcess, wakeAt: number | undefined, forMessage: boolean): void {
    process.waitsForMessage = forMessage;
    if (forMessage && process.hasMessage) return this.#makeReady(process);
    process.waiting = true;
    setState(this.#directory!, process.pid, WAITING);
    if (wakeAt !== undefined) {
      process.timer = setTimeout(() => this.#wake(process), Math.max(0, wakeAt - Date.now()));
    }
  }
}
