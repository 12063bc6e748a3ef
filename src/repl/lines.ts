/** Splitting a byte stream into lines, for the piped REPL and SSH sessions without a terminal. */

/**
 * Longest line a session takes, in UTF-8 bytes without the line break: a terminal's canonical-mode line
 * holds 4096 bytes, and no assembly statement comes near it. A longer line is refused whole (see
 * ReplSession.handleLine); readLines keeps no more than this of a line, so input without line breaks never
 * grows the reader's memory.
 */
export const MAX_LINE_BYTES = 4096;

const NEWLINE = 0x0a;

/**
 * The lines of `input` in order, without their "\n" or "\r\n"; a last line without a line break counts.
 * Chunks may split a line or a UTF-8 character anywhere. A line longer than `maxLineBytes` is yielded cut
 * to its first `maxLineBytes + 1` bytes, so that it is still recognisably too long but costs no more
 * memory; what follows up to its line break is dropped unread. Each byte is looked at once: N bytes cost
 * O(N) whatever their line lengths. A ReadableStream is an AsyncIterable in Deno.
 */
export async function* readLines(
  input: AsyncIterable<Uint8Array | string>,
  maxLineBytes = MAX_LINE_BYTES,
): AsyncGenerator<string> {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let pieces: Uint8Array[] = [];
  let kept = 0; // bytes of the current line held in `pieces`
  const keep = (bytes: Uint8Array) => {
    const room = maxLineBytes + 1 - kept;
    if (room <= 0 || bytes.length === 0) return;
    const piece = bytes.length > room ? bytes.subarray(0, room) : bytes;
    pieces.push(piece.slice());
    kept += piece.length;
  };
  const take = (): string => {
    const joined = new Uint8Array(kept);
    let at = 0;
    for (const piece of pieces) {
      joined.set(piece, at);
      at += piece.length;
    }
    pieces = [];
    kept = 0;
    const text = decoder.decode(joined);
    return text.endsWith("\r") ? text.slice(0, -1) : text;
  };
  for await (const chunk of input) {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    let start = 0;
    for (let newline = bytes.indexOf(NEWLINE); newline >= 0; newline = bytes.indexOf(NEWLINE, start)) {
      keep(bytes.subarray(start, newline));
      yield take();
      start = newline + 1;
    }
    keep(bytes.subarray(start));
  }
  if (kept > 0) yield take();
}
