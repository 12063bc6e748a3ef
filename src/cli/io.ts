/** Where the CLI's output goes: the process's streams, or a buffer in tests. */

/** Output channels of one CLI invocation. */
export interface CliIo {
  /** Program output and command results. */
  stdout(text: string): void;
  /** Errors and diagnostics. */
  stderr(text: string): void;
  /** Binary output on stdout (`asm -o -`). */
  stdoutBytes(bytes: Uint8Array): void;
}

const encoder = new TextEncoder();

function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string | Uint8Array): void {
  let bytes = typeof text === "string" ? encoder.encode(text) : text;
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
}

/**
 * Thrown when standard output's reader has gone (`iridium prog | head`): the CLI then ends quietly, as
 * `cat` does when SIGPIPE ends it.
 */
export class StdoutClosedError extends Error {
  constructor() {
    super("standard output is closed");
  }
}

/** The process's own stdout and stderr. */
export const PROCESS_IO: CliIo = {
  stdout: (text) => writeStdout(text),
  stdoutBytes: (bytes) => writeStdout(bytes),
  stderr: (text) => writeAll(Deno.stderr, text),
};

function writeStdout(text: string | Uint8Array): void {
  try {
    writeAll(Deno.stdout, text);
  } catch (error) {
    if (error instanceof Deno.errors.BrokenPipe) throw new StdoutClosedError();
    throw error;
  }
}

/** An in-memory CliIo for tests: everything written is kept. */
export function captureIo(): CliIo & { out: string; err: string; bytes: Uint8Array[] } {
  const io = {
    out: "",
    err: "",
    bytes: [] as Uint8Array[],
    stdoutBytes(bytes: Uint8Array) {
      io.bytes.push(bytes);
    },
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
  };
  return io;
}
