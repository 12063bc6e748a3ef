/**
 * Loads a program file for running: `.iro` bytecode is decoded and verified, anything else is assembled.
 * Used by `iridium FILE`, `iridium asm`, the REPL's `!load_file` and `!spawn`.
 */
import { MAGIC } from "../bytecode/format.ts";
import { decodeIro } from "../bytecode/loader.ts";
import type { Program, SymbolTable } from "../bytecode/program.ts";
import type { Diagnostic } from "../diag/diagnostic.ts";
import { renderDiagnostics } from "../diag/render.ts";
import { assemble } from "./assembler.ts";
import { osErrorReason } from "../util/os_error.ts";

/** The program (with its labels, and its source when it was assembly), or a message ready to print. */
export type LoadProgramResult =
  | { ok: true; program: Program; symbols: SymbolTable; source?: string; lines?: Uint32Array }
  | { ok: false; message: string; diagnostics?: Diagnostic[]; reason?: string };

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The largest program file read: 64 MiB. A program's sections address at most 64 KiB each (16-bit
 * operands), so no useful source comes near it, and `!load_file /dev/zero` cannot eat the memory.
 */
export const MAX_PROGRAM_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Reads `path` and turns it into a program. On failure `message` is one line for an unreadable or bad
 * `.iro` file (then `reason` is that line without the path), or the rendered diagnostics for assembly
 * errors (then also given as `diagnostics`); it has no trailing newline.
 */
export async function loadProgramFile(path: string): Promise<LoadProgramResult> {
  let bytes: Uint8Array;
  try {
    const info = await Deno.stat(path);
    if (info.isDirectory) return unreadable(path, "is a directory");
    if (!info.isFile) return unreadable(path, "not a regular file");
    if (info.size > MAX_PROGRAM_FILE_BYTES) {
      return unreadable(path, `larger than ${MAX_PROGRAM_FILE_BYTES} bytes`);
    }
    bytes = await Deno.readFile(path);
  } catch (error) {
    return unreadable(path, readFailure(error, path));
  }
  return programFromBytes(bytes, path);
}

/** True when `bytes` begin with the bytecode file's magic (`EPIE`). */
export function hasBytecodeMagic(bytes: Uint8Array): boolean {
  return MAGIC.every((byte, i) => bytes[i] === byte);
}

/**
 * Turns a file's bytes into a program; `name` is the path diagnostics and messages give. Bytecode is
 * recognized by its magic, whatever the name (a renamed `.iro` is not assembled), and a `.iro` name
 * without it is a bad bytecode file; anything else is assembly source.
 */
export function programFromBytes(bytes: Uint8Array, name: string): LoadProgramResult {
  if (hasBytecodeMagic(bytes) || name.toLowerCase().endsWith(".iro")) {
    const decoded = decodeIro(bytes);
    if (!decoded.ok) return { ok: false, message: `${name}: ${decoded.error}`, reason: decoded.error };
    return { ok: true, program: decoded.program, symbols: new Map() };
  }
  let source: string;
  try {
    source = decoder.decode(bytes);
  } catch {
    return unreadable(name, "not valid UTF-8 text");
  }
  const result = assemble(source, { file: name });
  if (!result.ok) {
    const { diagnostics } = result;
    return { ok: false, message: renderDiagnostics(diagnostics, source).trimEnd(), diagnostics };
  }
  const { code, rodata, entry, symbols, lines } = result;
  return { ok: true, program: { code, rodata, entry }, symbols, source, lines };
}

function unreadable(path: string, why: string): LoadProgramResult {
  return { ok: false, message: `cannot read '${path}': ${why}`, reason: `cannot read file: ${why}` };
}

/** The reason a read or write of `path` failed, in this project's words (src/util/os_error.ts). */
export function readFailure(error: unknown, path?: string): string {
  return osErrorReason(error, path);
}
