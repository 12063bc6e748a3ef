/**
 * `-` in place of a file: standard input for `iridium -`, `asm -` and `disasm -` (standard output for
 * `asm -o -`), as cat, gcc and luac read it.
 */
import {
  loadProgramFile,
  type LoadProgramResult,
  MAX_PROGRAM_FILE_BYTES,
  programFromBytes,
} from "../asm/load_program.ts";

/** The file name that means standard input or output. */
export const STDIO_NAME = "-";
/** The name messages and diagnostics give standard input. */
export const STDIN_LABEL = "<stdin>";

/** All of standard input, at most MAX_PROGRAM_FILE_BYTES (a program file's own bound). */
export async function readStandardInput(): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of Deno.stdin.readable) {
    size += chunk.length;
    if (size > MAX_PROGRAM_FILE_BYTES) {
      throw new Error(`cannot read ${STDIN_LABEL}: larger than ${MAX_PROGRAM_FILE_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** Loads the program named on the command line: a file, or standard input for `-`. */
export async function loadCliProgram(path: string): Promise<LoadProgramResult> {
  if (path !== STDIO_NAME) return await loadProgramFile(path);
  try {
    return programFromBytes(await readStandardInput(), STDIN_LABEL);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
