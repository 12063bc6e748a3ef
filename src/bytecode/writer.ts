/** Writes a program as an `.iro` bytecode file (docs/bytecode.md). */
import {
  CODE_LENGTH_OFFSET,
  ENTRY_OFFSET,
  FORMAT_VERSION,
  HEADER_SIZE,
  MAGIC,
  MAGIC_OFFSET,
  RODATA_LENGTH_OFFSET,
  VERSION_OFFSET,
} from "./format.ts";
import type { Program } from "./program.ts";

/** The file's bytes: header, read-only section, code section. */
export function encodeIro(program: Program): Uint8Array {
  const { rodata, code, entry } = program;
  const bytes = new Uint8Array(HEADER_SIZE + rodata.length + code.length);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, MAGIC_OFFSET);
  bytes[VERSION_OFFSET] = FORMAT_VERSION;
  view.setUint32(RODATA_LENGTH_OFFSET, rodata.length, true);
  view.setUint32(CODE_LENGTH_OFFSET, code.length, true);
  view.setUint32(ENTRY_OFFSET, entry, true);
  bytes.set(rodata, HEADER_SIZE);
  bytes.set(code, HEADER_SIZE + rodata.length);
  return bytes;
}
