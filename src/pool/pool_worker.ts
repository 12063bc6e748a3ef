/**
 * A pool worker: runs one process at a time, in slices, and reports output and progress to the pool.
 * A process that waits (`recv` on an empty mailbox, `recvt`, `sleep`) is saved and handed back to the
 * pool, which resumes it on whichever worker is free once a message or its time comes.
 * A kill sets the request's shared `kill` flag (the machine stops within a few thousand instructions and
 * this handler returns) and terminates the worker.
 */
/// <reference lib="deno.worker" />
import { createMachine } from "../vm/fast/select.ts";
import { OutputBuffer } from "../vm/output_buffer.ts";
import type { ProcessHost } from "../vm/process_host.ts";
import { releaseMessage, reserveMessage } from "./directory.ts";
import type { RunRequest, WorkerReport } from "./protocol.ts";

/** Instructions per slice: large enough that reporting costs nothing, small enough for live `!ps`. */
const SLICE = 1_000_000;

function report(message: WorkerReport): void {
  self.postMessage(message);
}

/** The process around the machine: its mailbox is the messages the pool handed over with the request. */
function workerHost(request: RunRequest): ProcessHost & { unread(): RunRequest["messages"] } {
  const { pid, directory, mailboxLimit, messages } = request;
  const names = new Map(request.names);
  const blocked = new Set(request.blocked);
  let next = 0;
  return {
    pid,
    hasMailbox: true,
    startedAt: request.startedAt,
    send(to, value) {
      if (blocked.has(to)) return false; // the pool checks again: the list is as of this run's start
      if (!reserveMessage(directory, to, mailboxLimit)) return false;
      report({ type: "send", from: pid, to, value });
      return true;
    },
    receive() {
      if (next >= messages.length) return undefined;
      releaseMessage(directory, pid);
      return messages[next++];
    },
    whereis: (name) => names.get(name) ?? 0,
    now: Date.now,
    unread: () => messages.slice(next),
  };
}

self.onmessage = (event: MessageEvent<RunRequest>) => {
  const request = event.data;
  const { pid } = request;
  const output = new OutputBuffer((text) => report({ type: "output", pid, text }));
  const host = workerHost(request);
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
  let executed = request.executed;
  for (;;) {
    const result = machine.run(SLICE);
    executed += result.executed;
    output.drain();
    if (result.status === "interrupted") return; // killed: the pool has recorded it already
    if (result.status === "waiting") {
      const { wakeAt, waitsForMessage } = result;
      const state = machine.save();
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
