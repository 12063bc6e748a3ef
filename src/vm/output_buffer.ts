/**
 * A program's output between two flushes. Print instructions are many and small, so their text is
 * gathered and handed on once per slice; past FLUSH_AT characters it is handed on at once, so a printing
 * loop never builds a string beyond V8's limit (a `prts` loop over a 1 KB string would overflow one
 * 1,000,000-instruction slice) and the reader sees output while the program runs.
 */

/** Characters gathered before an early flush. */
export const FLUSH_AT = 64 * 1024;

/** Collects output for `flush`; pass `write` as a Machine's `output`. */
export class OutputBuffer {
  #parts: string[] = [];
  #size = 0;

  constructor(readonly flush: (text: string) => void) {}

  /** Takes the text of one print instruction. */
  readonly write = (text: string): void => {
    this.#parts.push(text);
    this.#size += text.length;
    if (this.#size >= FLUSH_AT) this.drain();
  };

  /** Hands everything gathered to `flush`. */
  drain(): void {
    if (this.#size === 0 && this.#parts.length === 0) return;
    const text = this.#parts.join("");
    this.#parts = [];
    this.#size = 0;
    if (text !== "") this.flush(text);
  }

  /** Forgets what was gathered. */
  discard(): void {
    this.#parts = [];
    this.#size = 0;
  }
}
