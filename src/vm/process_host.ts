/**
 * What the process instructions (59-65) ask of whoever runs the machine: its PID, its mailbox, delivery to
 * other processes, the clock and the application names. The machine knows no pool:
 * the pool worker hands in a host for a process; `iridium FILE` and a REPL session run without a mailbox.
 */

/** One message in a mailbox: an i32 and the PID that sent it (0 for a session or the host). */
export interface Message {
  value: number;
  sender: number;
}

/** The surroundings of one running program. */
export interface ProcessHost {
  /** This process's PID; 0 outside a process. */
  readonly pid: number;
  /** False outside a process: `recv` and `recvt` then fault with `no mailbox`. */
  readonly hasMailbox: boolean;
  /** Milliseconds since the epoch at which the process started (the origin of `clock`). */
  readonly startedAt: number;
  /** Appends `value` to PID `to`'s mailbox; false when there is no such process or its mailbox is full. */
  send(to: number, value: number): boolean;
  /** Takes the oldest message, or undefined when the mailbox is empty. */
  receive(): Message | undefined;
  /** PID of the running application `name`, else 0. */
  whereis(name: string): number;
  /** Milliseconds since the epoch; one clock for deadlines across threads. */
  now(): number;
}

/** The host of a program that is not a process: no mailbox, and nowhere to send. */
export const NO_PROCESS: ProcessHost = {
  pid: 0,
  hasMailbox: false,
  startedAt: Date.now(),
  send: () => false,
  receive: () => undefined,
  whereis: () => 0,
  now: Date.now,
};

/**
 * A host outside any process that can still reach a pool on this thread: `send` and `whereis` go there
 * (the local REPL session), `recv` still faults.
 */
export function sessionHost(
  pool: { deliver(from: number, to: number, value: number): boolean; whereis(name: string): number },
): ProcessHost {
  return {
    ...NO_PROCESS,
    startedAt: Date.now(),
    send: (to, value) => pool.deliver(0, to, value),
    whereis: (name) => pool.whereis(name),
  };
}
