/**
 * Where a jump may land: an address aligned to INSTRUCTION_SIZE in [0, code length], the code length
 * itself being the end of the code (which stops the program: `no hlt`, or the REPL's pause). This is the
 * rule's one definition. The interpreter and the machine's `pc` setter call isJumpTarget(); the
 * pre-decoder marks static targets outside it; the loader additionally wants a static target to be an
 * instruction (below the code length); the fast tier's JavaScript back end emits jumpTargetSource(), and
 * its WebAssembly back end the same two comparisons (src/vm/fast/wasm_codegen.ts `#jumpToT`).
 */
import { INSTRUCTION_SIZE } from "./opcodes.ts";

/** Low address bits that must be zero: `& 3` below stands for `% INSTRUCTION_SIZE`. */
const MISALIGNED = INSTRUCTION_SIZE - 1;

/**
 * True when `address` (an int32) is somewhere a jump may land in code of `codeLength` bytes. The literal
 * 3 (MISALIGNED) keeps the check to plain int32 operations when V8 inlines it into the dispatch loop.
 */
export function isJumpTarget(address: number, codeLength: number): boolean {
  return address >= 0 && address <= codeLength && (address & 3) === 0;
}

/**
 * isJumpTarget() as JavaScript source over the int32 variable `expr`, for generated code: one unsigned
 * compare covers both ends of the range.
 */
export function jumpTargetSource(expr: string, codeLength: number): string {
  return `(${expr} >>> 0) <= ${codeLength} && (${expr} & ${MISALIGNED}) === 0`;
}

/** True when a static jump target (of `djmpe`, `call`, ...) is an instruction of the code. */
export function isInstructionAddress(address: number, codeLength: number): boolean {
  return isJumpTarget(address, codeLength) && address < codeLength;
}
