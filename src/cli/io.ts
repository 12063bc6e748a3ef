/** Where the CLI's output goes: the process's streams, or a buffer in tests. */

/** Output channels of one CLI invocation. */
export interface CliIo {
  /** Program output and command results. */
  stdout(text: string): void;
  /** Errors and diagnostics. */
  stderr(text: string): void;
}

const encoder = new TextEncoder();

function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
}

/** The process's own stdout and stderr. */
export const PROCESS_IO: CliIo = {
  stdout: (text) => writeAll(Deno.stdout, text),
  stderr: (text) => writeAll(Deno.stderr, text),
};

/** An in-memory CliIo for tests: everything written is kept. */
export function captureIo(): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
  };
  return io;
}
