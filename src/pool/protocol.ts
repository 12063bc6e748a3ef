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
}

/** Worker → main: what happened to the process it runs. */
export type WorkerReport =
  | { type: "ready" }
  /** The first instruction is about to run. */
  | { type: "started"; pid: number }
  | { type: "output"; pid: number; text: string }
  | { type: "progress"; pid: number; executed: number }
  | { type: "done"; pid: number; executed: number; status: "halted" | "faulted"; fault?: string };
