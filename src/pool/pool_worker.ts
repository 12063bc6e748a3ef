/**
 * A pool worker: runs one process at a time, in slices, and reports output and progress to the pool.
 * A process that waits (`recv` on an empty mailbox, `recvt`, `sleep`) is saved and handed back to the
 * pool, which resumes it on whichever worker is free once a message or its time comes (preferring this
 * one, which keeps its machine meanwhile).
 * A kill sets the request's shared `kill` flag (the machine stops within a few thousand instructions and
 * this handler returns) and terminates the worker.
 */
/// <reference lib="deno.worker" />
import { createMachine, type Machine, type ProcessHost } from "../vm/create_machine.ts";
import { OutputBuffer } from "../vm/output_buffer.ts";
import { releaseMessage, reserveMessage } from "./directory.ts";
import type { RunRequest, WorkerReport } from "./protocol.ts";

/** Instructions per slice: large enough that reporting costs nothing, small enough for live `!ps`. */
const SLICE = 1_000_000;

function report(message: WorkerReport): void {
  self.postMessage(message);
}

/** The process around the machine: its mailbox is the messages the pool handed over with the request. */
class WorkerHost implements ProcessHost {
  readonly hasMailbox = true;
  readonly pid: number;
  readonly startedAt: number;
  #request: RunRequest;
  #names: Map<string, number>;
  #blocked: Set<number>;
  #next = 0;

  constructor(request: RunRequest) {
    this.pid = request.pid;
    this.startedAt = request.startedAt;
    this.#request = request;
    this.#names = new Map(request.names);
    this.#blocked = new Set(request.blocked);
  }

  /** Takes the mailbox and names of a new request for the same process. */
  renew(request: RunRequest): void {
    this.#request = request;
    this.#names = new Map(request.names);
    this.#blocked = new Set(request.blocked);
    this.#next = 0;
  }

  send(to: number, value: number): boolean {
    const { directory, mailboxLimit } = this.#request;
    if (this.#blocked.has(to)) return false; // the pool checks again: the list is as of this run's start
    if (!reserveMessage(directory, to, mailboxLimit)) return false;
    report({ type: "send", from: this.pid, to, value });
    return true;
  }

  receive() {
    const { messages, directory } = this.#request;
    if (this.#next >= messages.length) return undefined;
    releaseMessage(directory, this.pid);
    return messages[this.#next++];
  }

  whereis(name: string): number {
    return this.#names.get(name) ?? 0;
  }

  now = Date.now;

  /** Messages handed over and not received. */
  unread() {
    return this.#request.messages.slice(this.#next);
  }
}

/**
 * Machines of processes that waited on this worker, by PID, at most CACHE_SIZE (the oldest go first): a
 * process the pool resumes on the worker it last waited on goes on with its machine as it was, without
 * building a new one (about 16 µs each; ping-pong in bench/messages.ts); anywhere else, or after it ran
 * elsewhere, it is rebuilt from its saved state.
 */
const CACHE_SIZE = 64;
const waited = new Map<number, { machine: Machine; host: WorkerHost; output: OutputBuffer }>();

function machineFor(request: RunRequest) {
  const cached = waited.get(request.pid);
  waited.delete(request.pid);
  if (cached && request.resume && request.onSameWorker) {
    cached.host.renew(request);
    return cached;
  }
  const { pid } = request;
  const output = new OutputBuffer((text) => report({ type: "output", pid, text }));
  const host = new WorkerHost(request);
  const machine = createMachine(
    { rodata: request.rodata, code: request.code, entry: request.entry },
    {
      output: output.write,
      heapLimit: request.heapLimit,
      stackLimit: request.stackLimit,
      endOfCode: request.endIsHalt ? "pause" : "fault",
      interruptFlag: request.kill,
      process: host,
    },
  );
  if (request.resume) machine.restore(request.resume);
  else report({ type: "started", pid });
  return { machine, host, output };
}

self.onmessage = (event: MessageEvent<RunRequest>) => {
  const request = event.data;
  const { pid } = request;
  const entry = machineFor(request);
  const { machine, host, output } = entry;
  let executed = request.executed;
  for (;;) {
    const result = machine.run(SLICE);
    executed += result.executed;
    output.drain();
    if (result.status === "interrupted") return; // killed: the pool has recorded it already
    if (result.status === "waiting") {
      const { wakeAt, waitsForMessage } = result;
      const state = machine.save();
      waited.set(pid, entry);
      if (waited.size > CACHE_SIZE) waited.delete(waited.keys().next().value!);
      report({
        type: "waiting",
        pid,
        executed,
        state,
        wakeAt,
        forMessage: !!waitsForMessage,
        unread: host.unread(),
      });
      return;
    }
    if (result.status === "halted" || result.status === "faulted" || result.status === "ended") {
      // "ended" comes only with endIsHalt: the end of a session's program is its normal end.
      const status = result.status === "faulted" ? "faulted" : "halted";
      report({ type: "done", pid, executed, status, fault: result.fault?.message });
      return;
    }
    report({ type: "progress", pid, executed });
  }
};

report({ type: "ready" });
