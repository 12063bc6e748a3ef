/**
 * Reads an `.iro` bytecode file (docs/bytecode.md), checking everything before anything runs: size, magic,
 * version, zero bytes, section lengths against the file size, then every instruction
 * (src/bytecode/verify.ts). Each rejection says what is wrong and at which offset.
 */
import {
  CODE_LENGTH_OFFSET,
  ENTRY_OFFSET,
  FORMAT_VERSION,
  HEADER_SIZE,
  MAGIC,
  MAGIC_OFFSET,
  RODATA_LENGTH_OFFSET,
  VERSION_OFFSET,
  ZERO_RANGES,
} from "./format.ts";
import type { Program } from "./program.ts";
import { verifyCode } from "./verify.ts";

/** The verified program, or why the file was rejected. */
export type DecodeIroResult = { ok: true; program: Program } | { ok: false; error: string };

/** Decodes and verifies the bytes of an `.iro` file. */
export function decodeIro(bytes: Uint8Array): DecodeIroResult {
  const error = checkHeader(bytes);
  if (error) return { ok: false, error };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rodataLength = view.getUint32(RODATA_LENGTH_OFFSET, true);
  const codeStart = HEADER_SIZE + rodataLength;
  const program: Program = {
    rodata: bytes.slice(HEADER_SIZE, codeStart),
    code: bytes.slice(codeStart),
    entry: view.getUint32(ENTRY_OFFSET, true),
  };
  const problem = verifyCode(program);
  return problem ? { ok: false, error: problem } : { ok: true, program };
}

/** The first problem of the header and section lengths, or undefined. */
function checkHeader(bytes: Uint8Array): string | undefined {
  if (bytes.length < HEADER_SIZE) {
    return `truncated file: expected a ${HEADER_SIZE}-byte header, found ${bytes.length} bytes`;
  }
  const magic = bytes.subarray(MAGIC_OFFSET, MAGIC_OFFSET + MAGIC.length);
  if (magic.some((byte, i) => byte !== MAGIC[i])) {
    return `bad magic at offset ${MAGIC_OFFSET}: expected "EPIE", found ${showBytes(magic)}`;
  }
  if (bytes[VERSION_OFFSET] !== FORMAT_VERSION) {
    return `unsupported version at offset ${VERSION_OFFSET}: expected ${FORMAT_VERSION}, found ${
      bytes[VERSION_OFFSET]
    }`;
  }
  for (const [start, end] of ZERO_RANGES) {
    for (let at = start; at < end; at++) {
      if (bytes[at] !== 0) return `nonzero reserved byte at offset ${at}: expected 0, found ${bytes[at]}`;
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rodataLength = view.getUint32(RODATA_LENGTH_OFFSET, true);
  const codeLength = view.getUint32(CODE_LENGTH_OFFSET, true);
  const codeStart = HEADER_SIZE + rodataLength;
  if (codeStart > bytes.length) {
    return `truncated file: header says ${rodataLength} bytes of read-only data at offset ${HEADER_SIZE}, file has ${bytes.length}`;
  }
  if (codeStart + codeLength > bytes.length) {
    return `truncated file: header says ${codeLength} bytes of code at offset ${codeStart}, file has ${bytes.length}`;
  }
  if (codeStart + codeLength < bytes.length) {
    return `trailing bytes: header says the file ends at offset ${
      codeStart + codeLength
    }, file has ${bytes.length}`;
  }
  return undefined;
}

/** Printable ASCII as a quoted string, anything else as hex bytes. */
function showBytes(bytes: Uint8Array): string {
  if (bytes.every((byte) => byte >= 0x20 && byte < 0x7f)) {
    return JSON.stringify(String.fromCharCode(...bytes));
  }
  return [...bytes].map((byte) => `0x${byte.toString(16).padStart(2, "0")}`).join(" ");
}
