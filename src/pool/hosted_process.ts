/**
 * A process hosted by a pool worker: its machine, its mailbox and how it waits. The worker's scheduler
 * (src/pool/scheduler.ts) runs it in turns; its `send` goes through the scheduler, which hands a message
 * to a process on the same worker directly and routes any other through the pool.
 */
import type { Subject } from "../access/policy.ts";
import {
  createMachine,
  type Machine,
  type Message,
  type ProcessHost,
  type Tier,
} from "../vm/create_machine.ts";
import { OutputBuffer } from "../vm/output_buffer.ts";
import { releaseMessage } from "./directory.ts";
import type { RunRequest } from "./protocol.ts";

/** What a hosted process asks of its scheduler. */
export interface Surroundings {
  send(from: HostedProcess, to: number, value: number): boolean;
  whereis(from: HostedProcess, name: string): number;
  output(pid: number, text: string): void;
}

/** One process on this worker; see the module comment. */
export class HostedProcess implements ProcessHost {
  readonly hasMailbox = true;
  readonly pid: number;
  readonly startedAt: number;
  readonly owner: string;
  readonly rights: Subject | undefined;
  machine: Machine;
  /** True once the machine may compile hot code (see compute()). */
  computes = false;
  readonly output: OutputBuffer;
  executed: number;
  /** True while it waits in `recv`, `recvt` or `sleep`. */
  waiting = false;
  /** True while it is in the run queue. */
  queued = false;
  /** True when a message ends its wait. */
  waitsForMessage = false;
  timer?: ReturnType<typeof setTimeout>;
  #mailbox: Message[];
  #next = 0;
  #directory: Int32Array;

  constructor(request: RunRequest, readonly surroundings: Surroundings) {
    this.pid = request.pid;
    this.startedAt = request.startedAt;
    this.owner = request.owner;
    this.rights = request.rights ?? undefined;
    this.executed = request.executed;
    this.#mailbox = request.messages;
    this.#directory = request.directory;
    const pid = this.pid;
    this.output = new OutputBuffer((text) => surroundings.output(pid, text));
    this.#build = (tier) =>
      createMachine(
        { rodata: request.rodata, code: request.code, entry: request.entry },
        {
          output: this.output.write,
          heapLimit: request.heapLimit,
          stackLimit: request.stackLimit,
          endOfCode: request.endIsHalt ? "pause" : "fault",
          interruptFlag: request.kill,
          process: this,
          tier,
        },
      );
    this.machine = this.#build("interpreter");
    if (request.resume) this.machine.restore(request.resume);
  }

  #build: (tier: Tier) => Machine;

  /**
   * Goes on with a machine that compiles hot code (src/vm/fast/tier.ts). A process starts interpreted:
   * one that waits every few instructions spends its time entering and leaving compiled code (a
   * ping-pong round trip takes about 3 times as long compiled), so only a process that runs a whole turn
   * without waiting is moved on to compiled code.
   */
  compute(): void {
    if (this.computes) return;
    this.computes = true;
    const state = this.machine.save();
    this.machine = this.#build("auto");
    this.machine.restore(state);
  }

  /** Appends a message whose room is reserved in the directory. */
  push(message: Message): void {
    this.#mailbox.push(message);
  }

  /** True when a message waits in the mailbox. */
  get hasMessage(): boolean {
    return this.#next < this.#mailbox.length;
  }

  send(to: number, value: number): boolean {
    return this.surroundings.send(this, to, value);
  }

  receive(): Message | undefined {
    if (this.#next >= this.#mailbox.length) return undefined;
    const message = this.#mailbox[this.#next++];
    if (this.#next > 1024 && this.#next * 2 > this.#mailbox.length) {
      this.#mailbox = this.#mailbox.slice(this.#next);
      this.#next = 0;
    }
    releaseMessage(this.#directory, this.pid);
    return message;
  }

  whereis(name: string): number {
    return this.surroundings.whereis(this, name);
  }

  now = Date.now;

  /** Messages not received yet, oldest first (they move with the process). */
  unread(): Message[] {
    return this.#mailbox.slice(this.#next);
  }
}
