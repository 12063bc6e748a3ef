/**
 * A pool worker: hosts processes and runs them with its own scheduler (src/pool/scheduler.ts), taking
 * the pool's commands (src/pool/protocol.ts) between slices and reporting output, ends and routed
 * messages back.
 */
/// <reference lib="deno.worker" />
import type { WorkerCommand, WorkerReport } from "./protocol.ts";
import { Scheduler } from "./scheduler.ts";

const scheduler = new Scheduler((message: WorkerReport) => self.postMessage(message));
self.onmessage = (event: MessageEvent<WorkerCommand>) => scheduler.handle(event.data);
self.postMessage({ type: "ready" } satisfies WorkerReport);
