/**
 * Turn taking on the SSH thread. Every connection's key exchange, authentication and channel I/O runs on
 * one event loop, beside the sessions' input handling; a session reading a long burst of input (a pasted
 * block, a piped script of 20,000 lines) would otherwise hold the loop for as long as the burst lasts.
 */

/** How long one session's input handling may hold the SSH thread before it lets the others run. */
export const INPUT_TURN_MS = 5;

/** Tells a session's input loop when its turn is over. */
export class InputTurns {
  #started = performance.now();

  /** True once this turn has lasted INPUT_TURN_MS. */
  get over(): boolean {
    return performance.now() - this.#started >= INPUT_TURN_MS;
  }

  /** Starts a turn: call it where an event (input arriving) has just let the event loop poll. */
  restart(): void {
    this.#started = performance.now();
  }

  /**
   * Resolves at once within a turn; past it, after a timer, so the event loop polls every socket (and
   * runs every other session) before this one goes on.
   */
  async next(): Promise<void> {
    if (!this.over) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.#started = performance.now();
  }
}
