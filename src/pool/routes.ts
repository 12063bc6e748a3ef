/**
 * Where each process of the pool is, and the routes of the messages the main thread hands on: to the
 * worker that hosts the receiver, or held here while no worker does (queued, or moving). A process that
 * waits on one worker and gets a message from a process on another moves to the sender's worker when that
 * one has nothing else ready, so that the two talk without a thread hop from then on (src/pool/scheduler.ts);
 * it moves at most once per MOVE_INTERVAL ms, so a process talking to several workers does not bounce.
 */
import type { Message, SavedMachine } from "../vm/create_machine.ts";
import { createDirectory, RUNNING, stateOf, WAITING } from "./directory.ts";
import type { WorkerCommand } from "./protocol.ts";

const MOVE_INTERVAL = 50;

/** What the routes ask of the pool, for workers of type S. */
export interface RouteActions<S> {
  post(slot: S, command: WorkerCommand): void;
  /** Makes `slot` the host of `pid` and runs it there. */
  run(slot: S, pid: number, how: { resume?: SavedMachine; messages: Message[] }): void;
  /** False for a worker that crashed or was replaced. */
  isLive(slot: S): boolean;
  first(): S;
  isFinished(pid: number): boolean;
}

/** The pool's routes; see the module comment. */
export class Routes<S> {
  /** The process directory (src/pool/directory.ts). */
  readonly directory = createDirectory();
  /** The worker hosting each process that started and has not finished. */
  readonly where = new Map<number, S>();
  /** Processes on their way to another worker: the worker they go to. */
  readonly moving = new Map<number, S>();
  #movedAt = new Map<number, number>();
  /** Messages for processes no worker hosts right now, oldest first. */
  #held = new Map<number, Message[]>();

  constructor(readonly actions: RouteActions<S>) {}

  /** Hands a message to wherever `to` is; a waiting receiver may move to the sender's worker `from`. */
  route(sender: number, to: number, value: number, from?: S): void {
    const at = this.where.get(to);
    if (at === undefined || this.moving.has(to)) return this.#hold(to, { value, sender });
    if (from !== undefined && from !== at && this.actions.isLive(from) && this.#mayMove(to, from)) {
      this.moving.set(to, from);
      this.#movedAt.set(to, Date.now());
      this.#hold(to, { value, sender });
      return this.actions.post(at, { type: "release", pid: to });
    }
    this.actions.post(at, { type: "deliver", to, from: sender, value });
  }

  #mayMove(pid: number, to: S): boolean {
    if (stateOf(this.directory, pid) !== WAITING) return false;
    if ((this.#movedAt.get(pid) ?? -Infinity) > Date.now() - MOVE_INTERVAL) return false;
    // The sender's worker has no other work: nothing it hosts but the sender is ready.
    let ready = 0;
    for (const [other, slot] of this.where) {
      if (slot === to && stateOf(this.directory, other) === RUNNING && ++ready > 1) return false;
    }
    return true;
  }

  #hold(pid: number, message: Message): void {
    const held = this.#held.get(pid);
    if (held) held.push(message);
    else this.#held.set(pid, [message]);
  }

  /** The messages held for `pid`, which leave here. */
  takeHeld(pid: number): Message[] {
    const held = this.#held.get(pid) ?? [];
    this.#held.delete(pid);
    return held;
  }

  /** A process released by its worker goes on on the worker it moves to, its messages with it. */
  arrive(released: { pid: number; state: SavedMachine; unread: Message[] }): void {
    const { pid } = released;
    let to = this.moving.get(pid);
    this.moving.delete(pid);
    if (to === undefined || this.actions.isFinished(pid)) return;
    if (!this.actions.isLive(to)) to = this.actions.first();
    const messages = [...released.unread, ...this.takeHeld(pid)];
    this.actions.run(to, pid, { resume: released.state, messages });
  }

  /** A process asked to move runs where it is: the messages held for it follow it there. */
  stay(pid: number): void {
    this.moving.delete(pid);
    const at = this.where.get(pid);
    if (at === undefined) return;
    for (const { value, sender } of this.takeHeld(pid)) {
      this.actions.post(at, { type: "deliver", to: pid, from: sender, value });
    }
  }

  /** Forgets an ended process. */
  forget(pid: number): void {
    this.where.delete(pid);
    this.moving.delete(pid);
    this.#movedAt.delete(pid);
    this.#held.delete(pid);
  }
}
