/**
 * A pool worker: runs one program at a time, in slices, and reports output and progress to the pool.
 * A kill sets the request's shared `kill` flag (the machine stops within a few thousand instructions and
 * this handler returns) and terminates the worker.
 */
/// <reference lib="deno.worker" />
import { createMachine } from "../vm/create_machine.ts";
import { OutputBuffer } from "../vm/output_buffer.ts";
import type { RunRequest, WorkerReport } from "./protocol.ts";

/** Instructions per slice: large enough that reporting costs nothing, small enough for live `!ps`. */
const SLICE = 1_000_000;

function report(message: WorkerReport): void {
  self.postMessage(message);
}

self.onmessage = (event: MessageEvent<RunRequest>) => {
  const request = event.data;
  const { pid } = request;
  const output = new OutputBuffer((text) => report({ type: "output", pid, text }));
  const machine = createMachine(
    { rodata: request.rodata, code: request.code, entry: request.entry },
    {
      output: output.write,
      heapLimit: request.heapLimit,
      stackLimit: request.stackLimit,
      endOfCode: request.endIsHalt ? "pause" : "fault",
      interruptFlag: request.kill,
    },
  );
  report({ type: "started", pid });
  let executed = 0;
  for (;;) {
    const result = machine.run(SLICE);
    executed += result.executed;
    output.drain();
    if (result.status === "interrupted") return; // killed: the pool has recorded it already
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
