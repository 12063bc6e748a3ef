/**
 * What a REPL session may ask of the host around it. The session itself knows no socket, no pool and no
 * key store: the CLI or the SSH server hands these in, and a command whose service is
 * missing says so instead of failing.
 */
import type { Subject } from "../access/policy.ts";
import type { AppRequest } from "./app_request.ts";
import type { Program } from "../bytecode/program.ts";
import type { ProcessHost } from "../vm/create_machine.ts";

/** The thread pool as `!spawn`, `!ps` and `!kill` see it (implemented by src/pool/ with `--threads`). */
export interface ReplProcesses {
  /**
   * Starts `program` as a process named `name` (a file name, or `<repl>`); resolves to its PID, and
   * whether it waits for a free thread. With `endIsHalt`, running off the end of the code is a normal end
   * (a session's program has no `hlt`).
   */
  spawn(program: Program, name: string, endIsHalt?: boolean): Promise<{ pid: number; queued: boolean }>;
  /** Every process of the VM (every session), as lines ready to print, a header first. */
  list(): Promise<string[]>;
  /**
   * Stops process `pid`; resolves to the line to print, rejects with Error(message) for an unknown PID or
   * another owner's process.
   */
  kill(pid: number): Promise<string>;
  /** What process `pid` printed (the last 64 KiB); rejects for an unknown PID. */
  output(pid: number): Promise<string>;
  /**
   * Resolves when process `pid` has ended, to the line to print; rejects with an AbortError when `signal`
   * aborts first (Ctrl-C stops the waiting, not the process), and with Error for an unknown PID.
   */
  wait(pid: number, signal?: AbortSignal): Promise<string>;
  /** `!send`: an i32 from sender 0 to a PID or an application's name; resolves to the line to print. */
  send(target: string, value: number): Promise<string>;
  /**
   * An application request without its actor and grant (the session adds its own); resolves to the text
   * to print.
   */
  apps(request: DistributiveOmit<AppRequest, "actor" | "grant">): Promise<string>;
}

/** Omit over each member of a union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Host services of a session; every one is optional. */
export interface ReplServices {
  /**
   * Reads a file the session names (`!load_file`, `!spawn PATH`) if its name ends with one of
   * `extensions`: resolves to its real path and bytes, or rejects with Error(message). Absent: any file,
   * read directly, as for the local REPL; SSH sessions are confined (src/ssh/file_access.ts).
   */
  readFile?: (path: string, extensions: readonly string[]) => Promise<{ path: string; bytes: Uint8Array }>;
  /** Authorizes the public key in the file at `path`; resolves to the line to print, rejects with Error. */
  addSshKey?: (path: string) => Promise<string>;
  /** The thread pool (`--threads`); absent where a session has none, e.g. a test's bare session. */
  processes?: ReplProcesses;
  /**
   * What the session's own program sees as its process: no mailbox, but `send` and `whereis` reach the
   * pool when it is on this thread (the local terminal). Absent: nowhere to send.
   */
  processHost?: ProcessHost;
  /**
   * Who runs this session and what its key may do, looked up again for every line and command so that a
   * `grant` applies at once. Absent: the local terminal, an admin.
   */
  subject?: () => Promise<Subject>;
  /** Records an event of this session in the audit log (a refusal, a change); absent: not audited. */
  audit?: (event: string, fields: Record<string, string>) => void;
  /**
   * Asked at `!quit`: a warning makes the session stay (printed; a second `!quit` leaves), e.g. the local
   * REPL with SSH sessions open, which end with it. Undefined lets it leave.
   */
  beforeQuit?: () => Promise<string | undefined>;
}
