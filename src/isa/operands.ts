/**
 * Operand kinds of the instruction set: how wide each is in the 4-byte encoding and which values fit.
 * Every instruction is the opcode byte followed by its operands, zero-padded to 4 bytes (docs/language.md).
 */

/**
 * - `reg`: an integer register `$0`..`$31`, one byte.
 * - `freg`: a float register, written `$0`..`$31` too, one byte.
 * - `imm16`: an integer immediate `#n`, two bytes big-endian, 0..65535.
 * - `shift`: a shift amount `#n`, two bytes big-endian, 0..31.
 * - `code`: a code address `@label` (byte offset into the code section), two bytes big-endian.
 * - `rodata`: a read-only offset `@label` (byte offset into the read-only section), two bytes big-endian.
 */
export type OperandKind = "reg" | "freg" | "imm16" | "shift" | "code" | "rodata";

/** Facts about each operand kind. */
export interface OperandInfo {
  /** Bytes the operand takes in the encoding. */
  width: 1 | 2;
  /** Smallest and largest encodable value. */
  min: number;
  max: number;
  /** How the operand is written, for messages: "a register", "an integer", "a label". */
  description: string;
  /** Its placeholder in instruction listings (`!help instructions`, the README): `$r`, `#imm16`, `@code`. */
  syntax: string;
}

/** Register count: the encoding allows 256, the machine has 32 of each kind (docs/language.md). */
export const REGISTER_COUNT = 32;

/** Every operand kind's width, range and description. */
export const OPERAND_INFO: Readonly<Record<OperandKind, OperandInfo>> = {
  reg: { width: 1, min: 0, max: REGISTER_COUNT - 1, description: "a register", syntax: "$r" },
  freg: { width: 1, min: 0, max: REGISTER_COUNT - 1, description: "a float register", syntax: "$f" },
  imm16: { width: 2, min: 0, max: 0xffff, description: "an integer", syntax: "#imm16" },
  shift: { width: 2, min: 0, max: 31, description: "a shift amount", syntax: "#n" },
  code: { width: 2, min: 0, max: 0xffff, description: "a code label", syntax: "@code" },
  rodata: { width: 2, min: 0, max: 0xffff, description: "a data label", syntax: "@data" },
};

/** True for kinds written `@label` in assembly. */
export function isAddressKind(kind: OperandKind): kind is "code" | "rodata" {
  return kind === "code" || kind === "rodata";
}

/** True for kinds written `$n` in assembly. */
export function isRegisterKind(kind: OperandKind): kind is "reg" | "freg" {
  return kind === "reg" || kind === "freg";
}
