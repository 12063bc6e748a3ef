/**
 * Verification of a program's code before anything runs (docs/bytecode.md; Lua's `lundump.c` checks
 * everything up front through one error path). The VM may then trust every opcode, register and static
 * address.
 */
import { decodeOperands, formatAddress } from "../isa/encoding.ts";
import { INSTRUCTION_SIZE, OPCODE_BY_BYTE, type OpcodeInfo } from "../isa/opcodes.ts";
import { OPERAND_INFO } from "../isa/operands.ts";
import type { Program } from "./program.ts";

/**
 * Bytes an instruction reads at its read-only operand: `ldi` an i32, `ldf64` an f64; `prts` at least the
 * first byte of its string (the VM checks the rest while it scans for the terminator).
 */
export function rodataReadSize(op: OpcodeInfo): number {
  if (op.mnemonic === "ldi") return 4;
  if (op.mnemonic === "ldf64") return 8;
  return 1;
}

/** Why `program`'s code cannot run, or undefined when every instruction is well-formed. */
export function verifyCode(program: Program): string | undefined {
  const { code, entry } = program;
  if (code.length % INSTRUCTION_SIZE !== 0) {
    return `code length is not a multiple of ${INSTRUCTION_SIZE}: found ${code.length}`;
  }
  const entryFits = code.length === 0 ? entry === 0 : entry < code.length;
  if (!entryFits || entry % INSTRUCTION_SIZE !== 0) {
    return `entry point ${formatAddress(entry)} is not an instruction of the code (length ${
      formatAddress(code.length)
    })`;
  }
  for (let offset = 0; offset < code.length; offset += INSTRUCTION_SIZE) {
    const problem = verifyInstruction(program, offset);
    if (problem) return problem;
  }
  return undefined;
}

/** What is wrong with the instruction at `offset`, if anything. */
function verifyInstruction({ code, rodata }: Program, offset: number): string | undefined {
  const at = `at code offset ${formatAddress(offset)}`;
  const op = OPCODE_BY_BYTE[code[offset]];
  if (!op) return `unknown opcode ${hex2(code[offset])} ${at}`;
  const values = decodeOperands(op, code, offset);
  let used = 1;
  for (const [i, kind] of op.operands.entries()) {
    const value = values[i];
    const where = `${at} (${op.mnemonic} operand ${i + 1})`;
    used += OPERAND_INFO[kind].width;
    switch (kind) {
      case "reg":
      case "freg":
      case "shift": {
        const { min, max } = OPERAND_INFO[kind];
        if (value < min || value > max) {
          const name = kind === "shift" ? "shift amount" : "register";
          return `${name} out of range ${where}: expected ${min}..${max}, found ${value}`;
        }
        break;
      }
      case "code":
        if (value >= code.length || value % INSTRUCTION_SIZE !== 0) {
          return `jump target ${
            formatAddress(value)
          } outside the code ${where}: expected an instruction below ${formatAddress(code.length)}`;
        }
        break;
      case "rodata": {
        const size = rodataReadSize(op);
        if (value + size > rodata.length) {
          return `read-only offset ${formatAddress(value)} outside the read-only data ${where}: ${size} byte${
            size > 1 ? "s" : ""
          } needed, the section has ${rodata.length}`;
        }
        break;
      }
      case "imm16":
        break;
    }
  }
  for (let byte = offset + used; byte < offset + INSTRUCTION_SIZE; byte++) {
    if (code[byte] !== 0) return `nonzero padding byte ${hex2(code[byte])} ${at} (${op.mnemonic})`;
  }
  return undefined;
}

function hex2(byte: number): string {
  return `0x${byte.toString(16).padStart(2, "0")}`;
}
