/**
 * Loads a program file for running: `.iro` bytecode is decoded and verified, anything else is assembled.
 * Used by `iridium FILE`, `iridium asm`, the REPL's `!load_file` and `!spawn`.
 */
import { decodeIro } from "../bytecode/loader.ts";
import type { Program, SymbolTable } from "../bytecode/program.ts";
import type { Diagnostic } from "../diag/diagnostic.ts";
import { renderDiagnostics } from "../diag/render.ts";
import { assemble } from "./assembler.ts";

/** The program (with its labels, and its source when it was assembly), or a message ready to print. */
export type LoadProgramResult =
  | { ok: true; program: Program; symbols: SymbolTable; source?: string }
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
    return unreadable(path, readFailure(error));
  }
  if (path.toLowerCase().endsWith(".iro")) {
    const decoded = decodeIro(bytes);
    if (!decoded.ok) return { ok: false, message: `${path}: ${decoded.error}`, reason: decoded.error };
    return { ok: true, program: decoded.program, symbols: new Map() };
  }
  let source: string;
  try {
    source = decoder.decode(bytes);
  } catch {
    return unreadable(path, "not valid UTF-8 text");
  }
  const result = assemble(source, { file: path });
  if (!result.ok) {
    const { diagnostics } = result;
    return { ok: false, message: renderDiagnostics(diagnostics, source).trimEnd(), diagnostics };
  }
  const { code, rodata, entry, symbols } = result;
  return { ok: true, program: { code, rodata, entry }, symbols, source };
}

function unreadable(path: string, why: string): LoadProgramResult {
  return { ok: false, message: `cannot read '${path}': ${why}`, reason: `cannot read file: ${why}` };
}

/** The reason a read failed, without the OS error's decoration. */
export function readFailure(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  // Deno's own sandbox (e.g. /dev/stdin needs --allow-all): its message suggests flags a user cannot pass.
  if (error instanceof Deno.errors.NotCapable) return "not allowed for this program";
  if (error instanceof Deno.errors.IsADirectory) return "is a directory";
  return error instanceof Error ? error.message : String(error);
}
