/**
 * The interpreter's instruction word: each instruction pre-decoded into one int32, so that the dispatch
 * loop (src/vm/interpreter.ts) reads one word per instruction and takes its operands apart with shifts
 * (Lua's `GETARG_A(i)` names its layout the same way). The words sit in an Int32Array laid out like the
 * code, instruction `pc` in slot `pc` and the other three slots zero, so the loop indexes them by the
 * byte address itself. Every writer of a word and every reader but the dispatch loop use this module.
 *
 * An instruction's word: the opcode in bits 0-7, then its operands in encoding order at their encoding
 * widths (src/isa/operands.ts), from bit 8 up:
 *
 * | bits  | field                                                                                  |
 * | ----- | -------------------------------------------------------------------------------------- |
 * | 0-7   | opcode: an OPCODES byte or a pseudo-instruction of the interpreter                     |
 * | 8-15  | A: the first register                                                                  |
 * | 16-23 | B: the second register                                                                 |
 * | 24-31 | C: the third register                                                                  |
 * | 16-31 | IMMEDIATE: the 16-bit operand after a register (`load`, `shl`, `ldi`, ...)              |
 * | 8-31  | ONLY: an instruction's only operand (`djmpe`, `prts`, `cloop`, ...), sign-extended      |
 *
 * A code address outside the code is stored as ONLY = -1 (every bit above the opcode set), so the jump
 * that takes it faults; code addresses are always an instruction's only operand.
 *
 * A superinstruction's word (src/vm/superinstructions.ts: `inc` or `dec`, a compare, then `jmpe` or
 * `djmpe`) replaces the first instruction's word and holds all its handler needs:
 *
 * | bits  | field                                                                                  |
 * | ----- | -------------------------------------------------------------------------------------- |
 * | 0-7   | opcode: StepCmpJmpe or StepCmpDjmpe                                                    |
 * | 8-12  | STEPPED: the register `inc` or `dec` steps                                             |
 * | 13    | DEC: 1 for `dec`                                                                       |
 * | 14-18 | LEFT, 19-23 RIGHT: the compared registers                                              |
 * | 24-26 | MASK: the outcomes for which the compare sets the flag (1: a < b, 2: a == b, 4: a > b) |
 * | 27-31 | BRANCH: the register holding `jmpe`'s target (StepCmpJmpe only)                        |
 *
 * FIELD names where each field starts. The writers below and the accessors use it; the dispatch loop
 * reads the same fields through a same-file copy (`const enum Field` in src/vm/interpreter.ts, compared
 * with FIELD by a test), because function calls in its switch are not all inlined: W3 ran about 20% more
 * machine instructions with the accessors (bash bench/instructions.sh).
 */
import { OPCODE_BY_BYTE } from "../isa/opcodes.ts";
import { OPERAND_INFO } from "../isa/operands.ts";

/** The bit where each field of a word starts. */
export const FIELD = {
  /** The opcode, 8 bits. */
  OPCODE: 0,
  /** A, the first register (8 bits); also ONLY, an instruction's only operand (24 bits, sign-extended). */
  A: 8,
  /** B, the second register (8 bits); also IMMEDIATE, a 16-bit operand after a register. */
  B: 16,
  /** C, the third register, 8 bits. */
  C: 24,
  /** STEPPED, 5 bits. */
  STEPPED: 8,
  /** DEC, 1 bit. */
  DEC: 13,
  /** LEFT, 5 bits. */
  LEFT: 14,
  /** RIGHT, 5 bits. */
  RIGHT: 19,
  /** MASK, 3 bits. */
  MASK: 24,
  /** BRANCH, 5 bits. */
  BRANCH: 27,
} as const;

/** The opcode, bits 0-7. */
export function opcodeOf(w: number): number {
  return (w >>> FIELD.OPCODE) & 255;
}

/** A, the first register, bits 8-15. */
export function regA(w: number): number {
  return (w >>> FIELD.A) & 255;
}

/** B, the second register, bits 16-23. */
export function regB(w: number): number {
  return (w >>> FIELD.B) & 255;
}

/** C, the third register, bits 24-31. */
export function regC(w: number): number {
  return w >>> FIELD.C;
}

/** IMMEDIATE, the 16-bit operand after a register, bits 16-31. */
export function immediateOf(w: number): number {
  return w >>> FIELD.B;
}

/** ONLY, an instruction's only operand, bits 8-31: -1 for a code address outside the code. */
export function onlyOperand(w: number): number {
  return w >> FIELD.A;
}

/**
 * The word of one instruction given its opcode byte and operand values (as src/vm/predecode.ts decodes
 * them: 16-bit operands joined, -1 for a code address outside the code).
 */
export function packInstruction(op: number, operands: ArrayLike<number>): number {
  let word = op, shift = FIELD.A;
  OPCODE_BY_BYTE[op]?.operands.forEach((kind, i) => {
    const value = operands[i];
    word |= (kind === "code" && value < 0 ? 0xffffff : value) << shift;
    shift += OPERAND_INFO[kind].width * 8;
  });
  return word;
}

/** The fields of a superinstruction's word. */
export interface FusedFields {
  opcode: number;
  stepped: number;
  dec: boolean;
  left: number;
  right: number;
  mask: number;
  /** The register holding the branch target (StepCmpJmpe); 0 for StepCmpDjmpe. */
  branch: number;
}

/** A superinstruction's word. Registers must be below 32 and the mask below 8. */
export function packFused(f: FusedFields): number {
  return (f.opcode << FIELD.OPCODE) | (f.stepped << FIELD.STEPPED) | ((f.dec ? 1 : 0) << FIELD.DEC) |
    (f.left << FIELD.LEFT) | (f.right << FIELD.RIGHT) | (f.mask << FIELD.MASK) | (f.branch << FIELD.BRANCH);
}

/** STEPPED, bits 8-12. */
export function steppedOf(w: number): number {
  return (w >>> FIELD.STEPPED) & 31;
}

/** DEC, bit 13: true when the step is `dec`. */
export function stepsDown(w: number): boolean {
  return ((w >>> FIELD.DEC) & 1) !== 0;
}

/** LEFT, bits 14-18. */
export function leftOf(w: number): number {
  return (w >>> FIELD.LEFT) & 31;
}

/** RIGHT, bits 19-23. */
export function rightOf(w: number): number {
  return (w >>> FIELD.RIGHT) & 31;
}

/**
 * MASK, bits 24-26, with BRANCH's bits above it: ANDed with an outcome (1, 2 or 4) they do not count,
 * which saves the loop a mask.
 */
export function maskOf(w: number): number {
  return w >>> FIELD.MASK;
}

/** BRANCH, bits 27-31. */
export function branchOf(w: number): number {
  return w >>> FIELD.BRANCH;
}
