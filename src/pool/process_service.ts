/** What the pool offers: the spawn request, the interface sessions use and the pool's bounds. */
import type { AppRequest } from "../repl/app_request.ts";
import type { Program } from "../bytecode/program.ts";
import type { Subject } from "../access/policy.ts";
import type { ProcessInfo } from "./process_table.ts";

/** A program to run as a process. */
export interface SpawnRequest {
  program: Program;
  /** The file's name, or "<repl>" for a session's own program. */
  source: string;
  /** Who spawned it, shown by `!ps`. */
  owner: string;
  heapLimit: number;
  stackLimit: number;
  /** The end of the code ends the process normally: true for a session's program, which has no `hlt`. */
  endIsHalt?: boolean;
  /** Running + queued processes `owner` may have at once; the spawn is refused past it. None: no limit. */
  quota?: number;
  /** Whose rights decide whom the process may message (message_access.ts): its owner's; none: an admin. */
  rights?: Subject;
}

/**
 * What REPL sessions use to manage processes. Methods are async so a session in another worker (SSH) can
 * reach the pool through messages with the same interface. Unknown PIDs reject with an Error.
 */
export interface ProcessService {
  /** Resolves with the new process's record; `queued`: it waits for a free thread. */
  spawn(request: SpawnRequest): Promise<ProcessInfo & { queued: boolean }>;
  list(): Promise<ProcessInfo[]>;
  kill(pid: number): Promise<ProcessInfo>;
  output(pid: number): Promise<string>;
  /** Resolves when the process has finished; rejects with an AbortError if `signal` aborts first. */
  wait(pid: number, signal?: AbortSignal): Promise<ProcessInfo>;
  /**
   * `!send`: delivers `value` from sender 0 to a PID or a running application's name; resolves to the
   * line to print, rejects when nothing was delivered.
   */
  send(target: string, value: number): Promise<string>;
  /** An application request (src/apps/app_requests.ts); resolves to the text to print. */
  apps(request: AppRequest): Promise<string>;
}

/** Bounds that keep the table's memory finite whatever sessions do (a `!spawn` loop, for one). */
export interface PoolLimits {
  /** Processes waiting for a worker at most; a spawn past it is refused. Default 1,000. */
  maxQueued?: number;
  /** Finished processes kept for `!ps`, `!output` and `!wait`; older ones are forgotten. Default 1,000. */
  maxFinished?: number;
  /** Messages a mailbox holds at most; a send to a full one is not delivered. Default 10,000. */
  mailboxLimit?: number;
}
