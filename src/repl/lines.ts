/** Splitting a byte stream into lines, for the piped REPL and SSH sessions without a terminal. */

/**
 * The lines of `input` in order, without their "\n" or "\r\n"; a last line without a line break counts.
 * Chunks may split a line or a UTF-8 character anywhere. A ReadableStream is an AsyncIterable in Deno.
 */
export async function* readLines(input: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let partial = "";
  for await (const chunk of input) {
    partial += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let newline;
    while ((newline = partial.indexOf("\n")) >= 0) {
      yield partial.slice(0, newline).replace(/\r$/, "");
      partial = partial.slice(newline + 1);
    }
  }
  partial += decoder.decode();
  if (partial !== "") yield partial.replace(/\r$/, "");
}
