/**
 * The REPL without a terminal (docs/repl.md): standard input is a pipe or a file, or an SSH session without a
 * pty (`ssh -T host < script`, and `ssh host 'LINES'` with the lines separated by newlines). No banner and
 * no prompts: only what the lines produce, so `iridium < script` works as a filter.
 */
import { readLines } from "./lines.ts";
import type { ReplSession } from "./session.ts";

/** How a piped session is driven. */
export interface PipedOptions {
  /** The lines, as bytes (UTF-8) or text; a ReadableStream<Uint8Array> such as Deno.stdin.readable works. */
  input: AsyncIterable<Uint8Array | string>;
  session: ReplSession;
  /** Awaited after each line: a shared host lets others run here (src/ssh/turns.ts). */
  pace?: () => Promise<void>;
  /** Stops reading lines when aborted (the client is gone). */
  signal?: AbortSignal;
}

/**
 * Handles each line of `input` in order until the input ends or a line is `!quit`. Every line runs even
 * after one fails (as `sh` without `-e`), and the exit status is 1 if any line failed (an assembly error,
 * an unknown or failed `!` command, a fault, an interrupted program), else 0.
 */
export async function runPiped(options: PipedOptions): Promise<number> {
  for await (const line of readLines(options.input)) {
    if (await options.session.handleLine(line) === "quit") break;
    await options.pace?.();
    if (options.signal?.aborted) break;
  }
  return options.session.anyLineFailed ? 1 : 0;
}
