/** Builds programs for tests straight from the opcode table, without the assembler. */
import type { Program } from "../../src/bytecode/program.ts";
import { encodeInstruction } from "../../src/isa/encoding.ts";
import { INSTRUCTION_SIZE, OPCODE_BY_MNEMONIC } from "../../src/isa/opcodes.ts";

/** One instruction: mnemonic then operand values, e.g. `["add", 0, 1, 2]`. */
export type Line = [string, ...number[]];

/** Encodes `lines` as a program whose entry is 0, with optional read-only data. */
export function buildProgram(lines: Line[], rodata: Uint8Array = new Uint8Array()): Program {
  const code = new Uint8Array(lines.length * INSTRUCTION_SIZE);
  lines.forEach(([mnemonic, ...operands], i) => {
    const op = OPCODE_BY_MNEMONIC.get(mnemonic);
    if (!op) throw new Error(`no such mnemonic '${mnemonic}'`);
    encodeInstruction(op, operands, code, i * INSTRUCTION_SIZE);
  });
  return { rodata, code, entry: 0 };
}

/** `load $0 #0; jmp $0`: runs until stopped. */
export const ENDLESS_LOOP: Program = buildProgram([["load", 0, 0], ["jmp", 0]]);
