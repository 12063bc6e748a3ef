/** Messages between the worker pool (main thread) and a pool worker (src/pool/pool_worker.ts). */
import type { Message, SavedMachine } from "../vm/create_machine.ts";

/** Main → worker: run one program until it ends or waits. */
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
  /** The state of a process that waited (src/vm/machine.ts save()); absent: start from the entry. */
  resume?: SavedMachine;
  /** True when the process waited on this very worker last, which may still hold its machine. */
  onSameWorker: boolean;
  /** Instructions the process ran before this request. */
  executed: number;
  /** Epoch milliseconds at which it first started (the origin of `clock`). */
  startedAt: number;
  /** Its mailbox's messages, oldest first; they are the worker's until the process waits or ends. */
  messages: Message[];
  /** Running applications' names and PIDs, for `whereis`: those the process's owner may message. */
  names: [string, number][];
  /** PIDs of running applications the process's owner may not message: a send to them is not delivered. */
  blocked: number[];
  /** The process directory (src/pool/directory.ts) and the mailbox bound. */
  directory: Int32Array;
  mailboxLimit: number;
}

/** Worker → main: what happened to the process it runs. */
export type WorkerReport =
  | { type: "ready" }
  /** The first instruction is about to run. */
  | { type: "started"; pid: number }
  | { type: "output"; pid: number; text: string }
  | { type: "progress"; pid: number; executed: number }
  /** A `send` the directory accepted: the pool appends it to `to`'s mailbox. */
  | { type: "send"; from: number; to: number; value: number }
  /**
   * The process waits in `recv`, `recvt` or `sleep` and gives its worker back; `wakeAt` (epoch ms) ends a
   * timed wait, `forMessage` says whether a message ends it, `unread` are messages it did not take.
   */
  | {
    type: "waiting";
    pid: number;
    executed: number;
    state: SavedMachine;
    wakeAt?: number;
    forMessage: boolean;
    unread: Message[];
  }
  | { type: "done"; pid: number; executed: number; status: "halted" | "faulted"; fault?: string };
