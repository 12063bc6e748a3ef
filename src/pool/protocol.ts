/** Messages between the worker pool (main thread) and a pool worker (src/pool/pool_worker.ts). */

/** Main → worker: run one program to its end. */
export interface RunRequest {
  type: "run";
  pid: number;
  rodata: Uint8Array;
  code: Uint8Array;
  entry: number;
  heapLimit: number;
  stackLimit: number;
  /**
   * Slot 0 becomes nonzero when the process is killed. Worker.terminate() alone does not stop a worker
   * busy in a guest loop (measured on Deno 2.9.6: the killed worker kept a core busy), so the machine
   * watches this flag and returns, and the worker's event loop then lets the termination through.
   */
  kill: Int32Array;
  /** The end of the code ends the process normally (a REPL session's program has no `hlt`). */
  endIsHalt: boolean;
}

/** Worker → main: what happened to the process it runs. */
export type WorkerReport =
  | { type: "ready" }
  /** The first instruction is about to run. */
  | { type: "started"; pid: number }
  | { type: "output"; pid: number; text: string }
  | { type: "progress"; pid: number; executed: number }
  | { type: "done"; pid: number; executed: number; status: "halted" | "faulted"; fault?: string };
