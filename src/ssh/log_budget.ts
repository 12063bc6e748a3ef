/**
 * Per-source budget of audit lines for connections that have not authenticated: each source address may
 * write LOG_LINES_PER_WINDOW lines per LOG_WINDOW_MS; past that its lines are counted, not written, and
 * one summary line per source says how many were left out when the window ends. A client that connects
 * and fails in a loop then costs a few lines a minute, not one per attempt.
 */

/** Lines a source may write per window. */
export const LOG_LINES_PER_WINDOW = 20;
/** Length of a window. */
export const LOG_WINDOW_MS = 60_000;

/** Counts lines per source; see the module comment. */
export class LogBudget {
  #used = new Map<string, { lines: number; dropped: number }>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #summarize: (source: string, dropped: number) => void;
  #windowMs: number;

  /**
   * `summarize` writes the line that says `dropped` lines of `source` were left out; `windowMs` is
   * LOG_WINDOW_MS but in tests.
   */
  constructor(summarize: (source: string, dropped: number) => void, windowMs = LOG_WINDOW_MS) {
    this.#summarize = summarize;
    this.#windowMs = windowMs;
  }

  /** True when `source` may write one more line now; counts it either way. */
  allow(source: string): boolean {
    let use = this.#used.get(source);
    if (!use) this.#used.set(source, use = { lines: 0, dropped: 0 });
    this.#timer ??= setTimeout(() => this.flush(), this.#windowMs);
    if (use.lines < LOG_LINES_PER_WINDOW) {
      use.lines++;
      return true;
    }
    use.dropped++;
    return false;
  }

  /** Writes the summaries of the window now ending (close() does it too) and starts afresh. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const used = this.#used;
    this.#used = new Map();
    for (const [source, { dropped }] of used) if (dropped > 0) this.#summarize(source, dropped);
  }
}
