/**
 * The mailboxes of the pool's processes, on the main thread, and the processes parked while they wait
 * (their saved state, and a timer for a timed wait). A message to a process parked in `recv` or `recvt`,
 * or the end of its time, hands it back to the pool's queue through `wake`; a parked process holds no
 * worker and uses no CPU. Counting the messages against the bound is the directory's (src/pool/directory.ts).
 */
import type { Message, SavedMachine } from "../vm/create_machine.ts";

/** How a process waits, as its worker reported it. */
export interface Wait {
  state: SavedMachine;
  /** Epoch milliseconds at which the wait ends by itself. */
  wakeAt?: number;
  /** True when a message ends it (`recv`, `recvt`). */
  forMessage: boolean;
  /** Messages handed to the worker that the process did not take: they go back first. */
  unread: Message[];
}

interface Parked {
  state: SavedMachine;
  forMessage: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/** Mailboxes and parked processes by PID. */
export class Mailboxes {
  #boxes = new Map<number, Message[]>();
  #parked = new Map<number, Parked>();

  /** `wake(pid, state)` puts a parked process back in the queue, to resume from `state`. */
  constructor(readonly wake: (pid: number, state: SavedMachine) => void) {}

  /** Appends a message (room for it was reserved in the directory) and wakes a receiver parked for one. */
  deliver(to: number, message: { from: number; value: number }): void {
    let box = this.#boxes.get(to);
    if (!box) this.#boxes.set(to, box = []);
    box.push({ value: message.value, sender: message.from });
    const parked = this.#parked.get(to);
    if (parked?.forMessage) this.#unpark(to, parked);
  }

  /** Every message of `pid`'s mailbox, oldest first, which leave it (for the worker that runs it). */
  take(pid: number): Message[] {
    const box = this.#boxes.get(pid);
    if (!box || box.length === 0) return [];
    this.#boxes.set(pid, []);
    return box;
  }

  /** Messages in `pid`'s mailbox here (not counting those handed to a worker). */
  count(pid: number): number {
    return this.#boxes.get(pid)?.length ?? 0;
  }

  /** Keeps a process that waits; it goes back at once if what it waits for is already here. */
  park(pid: number, wait: Wait): void {
    if (wait.unread.length > 0) this.#boxes.set(pid, [...wait.unread, ...(this.#boxes.get(pid) ?? [])]);
    const parked: Parked = { state: wait.state, forMessage: wait.forMessage };
    this.#parked.set(pid, parked);
    if (wait.forMessage && this.count(pid) > 0) return this.#unpark(pid, parked);
    if (wait.wakeAt !== undefined) {
      parked.timer = setTimeout(() => this.#unpark(pid, parked), Math.max(0, wait.wakeAt - Date.now()));
    }
  }

  /** Processes parked right now. */
  get parkedCount(): number {
    return this.#parked.size;
  }

  /** Drops `pid`'s mailbox and its parked state (it ended). */
  forget(pid: number): void {
    const parked = this.#parked.get(pid);
    if (parked) clearTimeout(parked.timer);
    this.#parked.delete(pid);
    this.#boxes.delete(pid);
  }

  #unpark(pid: number, parked: Parked): void {
    if (this.#parked.get(pid) !== parked) return;
    clearTimeout(parked.timer);
    this.#parked.delete(pid);
    this.wake(pid, parked.state);
  }
}
