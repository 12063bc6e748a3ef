/**
 * Pre-decoding: the code section turned once, at setProgram, into an Int32Array the dispatch loop reads
 * without shifting or masking. Slot `pc` holds the opcode and slots `pc + 1 ..` the operands in encoding
 * order (16-bit ones already joined), so the loop indexes it by the byte `pc` itself.
 *
 * Code the loader verified decodes one to one. Unverified code must still never make the loop throw, so
 * what verification would reject becomes a pseudo-instruction that faults only if it runs: an unknown
 * opcode or a cut-short last instruction becomes `Illegal`, a register operand of 32 or more becomes
 * `BadRegister`, and a static code address outside the code becomes -1 (its jump faults when taken).
 * Shift amounts keep their low 5 bits (verified code has 0..31 only). One `End` sentinel follows the code.
 */
import { INSTRUCTION_SIZE, OPCODE_BY_BYTE } from "../isa/opcodes.ts";
import { decodeOperands } from "../isa/encoding.ts";
import { isRegisterKind, OPERAND_INFO, REGISTER_COUNT } from "../isa/operands.ts";
import { OP_VALUES } from "./interpreter.ts";

/** True when `address` is somewhere a jump may land: aligned, in [0, code length]. */
export function isJumpTarget(address: number, codeLength: number): boolean {
  return address >= 0 && address <= codeLength && address % INSTRUCTION_SIZE === 0;
}

/**
 * The pre-decoded form of `code`, one instruction longer than the code for the `End` sentinel. Static
 * code addresses are checked against `codeLength`: the code's own length, or the whole program's when
 * `code` is its tail (src/vm/append_program.ts).
 */
export function predecodeCode(code: Uint8Array, codeLength = code.length): Int32Array {
  const end = Math.ceil(code.length / INSTRUCTION_SIZE) * INSTRUCTION_SIZE;
  const decoded = new Int32Array(end + INSTRUCTION_SIZE);
  for (let pc = 0; pc < end; pc += INSTRUCTION_SIZE) {
    const op = OPCODE_BY_BYTE[code[pc]];
    if (op === undefined || pc + INSTRUCTION_SIZE > code.length) {
      decoded[pc] = OP_VALUES.Illegal;
      continue;
    }
    decoded[pc] = op.byte;
    decodeOperands(op, code, pc).forEach((value, i) => {
      const kind = op.operands[i];
      if (isRegisterKind(kind) && value >= REGISTER_COUNT) decoded[pc] = OP_VALUES.BadRegister;
      if (kind === "code" && !isJumpTarget(value, codeLength)) value = -1;
      if (kind === "shift") value &= 31;
      decoded[pc + 1 + i] = value;
    });
  }
  decoded[end] = OP_VALUES.End;
  return decoded;
}

/** True when an instruction of pre-decoded `decoded` names a float register. */
export function namesFloatRegister(decoded: Int32Array): boolean {
  for (let pc = 0; pc < decoded.length; pc += INSTRUCTION_SIZE) {
    if (OPCODE_BY_BYTE[decoded[pc]]?.operands.includes("freg")) return true;
  }
  return false;
}

/**
 * The interpreter's form of pre-decoded code (src/vm/interpreter.ts): each instruction's slot `pc` holds
 * one word with the opcode in bits 0-7 and the operands above it, in encoding order and at their encoding
 * widths (a register in 8 bits, a 16-bit operand in 16), so the loop reads one word per instruction and
 * takes its operands apart with shifts. A code address outside the code (-1 in `decoded`) sets every bit
 * above the opcode, so `word >> 8` is -1 again; code addresses are always an instruction's only operand.
 * The words keep the layout of `decoded` (instruction `pc` at slot `pc`, the other three slots zero), so
 * the loop indexes them by the byte address itself, without a shift.
 */
export function packCode(decoded: Int32Array): Int32Array {
  const packed = new Int32Array(decoded.length);
  for (let pc = 0; pc < decoded.length; pc += INSTRUCTION_SIZE) {
    const op = decoded[pc];
    let word = op, shift = 8;
    OPCODE_BY_BYTE[op]?.operands.forEach((kind, i) => {
      const value = decoded[pc + 1 + i];
      word |= (kind === "code" && value < 0 ? 0xffffff : value) << shift;
      shift += OPERAND_INFO[kind].width * 8;
    });
    packed[pc] = word;
  }
  return packed;
}
