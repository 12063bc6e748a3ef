/**
 * The process directory: which PIDs can receive, and how full their mailboxes are, in shared memory, so
 * that `send` on any worker decides delivery at once, without a round trip to the main thread (a send
 * never blocks). The messages themselves travel to the pool by postMessage; the count reserved
 * here is what keeps a mailbox bounded meanwhile.
 *
 * Slot `pid & (DIRECTORY_SLOTS - 1)` holds [pid, messages, state, 0]: the pid while its process lives,
 * the messages in its mailbox, sent and not yet received, and whether it runs or waits (written by the
 * worker that hosts it, read by `!ps`). The pool skips a PID whose slot is taken, so two live processes
 * never share a slot.
 */

/** Slots of the directory: live processes at most (waiting ones included). */
export const DIRECTORY_SLOTS = 65_536;

/** A directory in a SharedArrayBuffer, every slot free. */
export function createDirectory(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(DIRECTORY_SLOTS * 4 * 4));
}

/** Instructions each live process has run, by slot, in shared memory (written by its worker). */
export function createCounters(): Float64Array {
  return new Float64Array(new SharedArrayBuffer(DIRECTORY_SLOTS * 8));
}

/** The index of `pid` in a counters array. */
export function counterOf(pid: number): number {
  return pid & (DIRECTORY_SLOTS - 1);
}

function slotOf(pid: number): number {
  return (pid & (DIRECTORY_SLOTS - 1)) * 4;
}

/** A hosted process runs or is ready to (the state word of its slot). */
export const RUNNING = 1;
/** A hosted process waits in `recv`, `recvt` or `sleep`. */
export const WAITING = 2;

/**
 * Records whether `pid` runs (RUNNING) or waits (WAITING). A plain store, no fence: the word is only
 * shown (`!ps`) and steers where a message's receiver moves, and a switch between processes of one
 * worker writes it twice.
 */
export function setState(directory: Int32Array, pid: number, state: number): void {
  const slot = slotOf(pid);
  if (directory[slot] === pid) directory[slot + 2] = state;
}

/** RUNNING, WAITING, or 0 when `pid` is not hosted by a worker. */
export function stateOf(directory: Int32Array, pid: number): number {
  const slot = slotOf(pid);
  return Atomics.load(directory, slot) === pid ? Atomics.load(directory, slot + 2) : 0;
}

/** True when `pid`'s slot is free (the pool then gives it that PID). */
export function isSlotFree(directory: Int32Array, pid: number): boolean {
  return Atomics.load(directory, slotOf(pid)) === 0;
}

/** Opens `pid`'s mailbox, empty. */
export function openMailbox(directory: Int32Array, pid: number): void {
  const slot = slotOf(pid);
  Atomics.store(directory, slot + 1, 0);
  Atomics.store(directory, slot + 2, 0);
  Atomics.store(directory, slot, pid);
}

/** Closes `pid`'s mailbox: sends to it fail from now on. */
export function closeMailbox(directory: Int32Array, pid: number): void {
  const slot = slotOf(pid);
  if (Atomics.compareExchange(directory, slot, pid, 0) === pid) Atomics.store(directory, slot + 1, 0);
}

/**
 * Reserves room for one message to `pid`: false when no live process has that PID or its mailbox
 * holds `limit` messages already.
 */
export function reserveMessage(directory: Int32Array, pid: number, limit: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const slot = slotOf(pid);
  if (Atomics.load(directory, slot) !== pid) return false;
  for (;;) {
    const count = Atomics.load(directory, slot + 1);
    if (count >= limit) return false;
    if (Atomics.compareExchange(directory, slot + 1, count, count + 1) === count) return true;
  }
}

/** One message of `pid`'s was received: its room is free again. */
export function releaseMessage(directory: Int32Array, pid: number): void {
  const slot = slotOf(pid);
  if (Atomics.load(directory, slot) === pid) Atomics.sub(directory, slot + 1, 1);
}
