/** Messages between the worker pool (main thread) and a pool worker (src/pool/pool_worker.ts). */
import type { Subject } from "../access/policy.ts";
import type { Message, SavedMachine } from "../vm/create_machine.ts";

/** Main → worker: host a process from now on, new or moved from another worker, and run it. */
export interface RunRequest {
  type: "run";
  pid: number;
  rodata: Uint8Array;
  code: Uint8Array;
  entry: number;
  heapLimit: number;
  stackLimit: number;
  /** Who spawned it; a local `send` checks the sender's rights against it (src/pool/message_access.ts). */
  owner: string;
  /** Whose rights decide whom it may message; null: an admin's. */
  rights: Subject | null;
  /**
   * Slot 0 becomes nonzero when the process is killed: the machine watches it and returns within a few
   * thousand instructions, so a busy guest loop stops without ending the worker and its other processes.
   */
  kill: Int32Array;
  /** The end of the code ends the process normally (a REPL session's program has no `hlt`). */
  endIsHalt: boolean;
  /** The state of a process that waited on another worker (src/vm/machine.ts save()); absent: start anew. */
  resume?: SavedMachine;
  /** Instructions the process ran before this request. */
  executed: number;
  /** Epoch milliseconds at which it first started (the origin of `clock`). */
  startedAt: number;
  /** Its mailbox's messages, oldest first; from now on its mailbox is on this worker. */
  messages: Message[];
  /** Running applications' names and PIDs, for `whereis` and the access check of `send`. */
  names: [string, number][];
  /** The process directory and counters (src/pool/directory.ts) and the mailbox bound. */
  directory: Int32Array;
  counters: Float64Array;
  mailboxLimit: number;
}

/** Main → worker: everything the pool asks of a worker. */
export type WorkerCommand =
  | RunRequest
  /** A message for a process this worker hosts (room for it is reserved in the directory). */
  | { type: "deliver"; to: number; from: number; value: number }
  /** The process was killed: forget it (its kill flag is set already). */
  | { type: "kill"; pid: number }
  /** Give a waiting process back (reported as "released"), or report "kept" when it runs. */
  | { type: "release"; pid: number }
  /** The running applications changed. */
  | { type: "names"; names: [string, number][] };

/** Worker → main: what happened to the processes it hosts. */
export type WorkerReport =
  | { type: "ready" }
  /** The first instruction of a new process is about to run. */
  | { type: "started"; pid: number }
  | { type: "output"; pid: number; text: string }
  /** A `send` to a process this worker does not host, that the directory accepted: the pool routes it. */
  | { type: "send"; from: number; to: number; value: number }
  | { type: "done"; pid: number; executed: number; status: "halted" | "faulted"; fault?: string }
  /** Nothing left to run here; `runs` counts the run requests this worker has taken so far. */
  | { type: "idle"; runs: number }
  /** A waiting process given back on request, with the messages it has not taken. */
  | { type: "released"; pid: number; state: SavedMachine; unread: Message[]; executed: number }
  /** A process the pool asked back runs (or is gone): it stays. */
  | { type: "kept"; pid: number };
