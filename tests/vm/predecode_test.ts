/**
 * The interpreter's packed words (src/vm/predecode.ts `packCode`, src/vm/instruction_word.ts): every
 * opcode's operands land in the fields the interpreter reads, at their largest values, the named accessors
 * read each back, and a code address outside the code reads as -1.
 * Mutations checked: the interpreter's `Field.B` = 17, regB reading bits 24-31, immediateOf reading bits
 * 8-23, onlyOperand as `>>> 8` (the -1 of an outside address lost), and an opcode row with an operand
 * shape no accessor names.
 */
import { encodeInstruction } from "../../src/isa/encoding.ts";
import { INSTRUCTION_SIZE, OPCODES } from "../../src/isa/opcodes.ts";
import { OPERAND_INFO, type OperandKind, REGISTER_COUNT } from "../../src/isa/operands.ts";
import { FIELD_VALUES, OP_VALUES as Op } from "../../src/vm/interpreter.ts";
import {
  FIELD,
  immediateOf,
  onlyOperand,
  opcodeOf,
  regA,
  regB,
  regC,
} from "../../src/vm/instruction_word.ts";
import { packCode, predecodeCode } from "../../src/vm/predecode.ts";
import { assertEquals } from "../assert.ts";

/** The largest value of each kind that verification lets through; code address 0 is always a target. */
const LARGEST: Record<OperandKind, number> = {
  reg: REGISTER_COUNT - 1,
  freg: REGISTER_COUNT - 1,
  imm16: 0xffff,
  shift: 31,
  code: 0,
  rodata: 0xffff,
};

/** A program of the one instruction `op` with `operands`, followed by `hlt`, packed. */
function packOne(mnemonic: string, operands: number[]): Int32Array {
  const op = OPCODES.find((info) => info.mnemonic === mnemonic)!;
  const hlt = OPCODES.find((info) => info.mnemonic === "hlt")!;
  const bytes = new Uint8Array(2 * INSTRUCTION_SIZE);
  encodeInstruction(op, operands, bytes, 0);
  encodeInstruction(hlt, [], bytes, INSTRUCTION_SIZE);
  return packCode(predecodeCode(bytes));
}

Deno.test("every opcode's operands are fields of one word, at their encoding widths", () => {
  for (const op of OPCODES) {
    const operands = op.operands.map((kind) => LARGEST[kind]);
    const word = packOne(op.mnemonic, operands)[0];
    assertEquals(word & 255, op.byte, op.mnemonic);
    let shift = 8;
    op.operands.forEach((kind, i) => {
      const bits = OPERAND_INFO[kind].width * 8;
      assertEquals((word >>> shift) & ((1 << bits) - 1), operands[i], `${op.mnemonic} operand ${i}`);
      shift += bits;
    });
    if (shift < 32) assertEquals(word >>> shift, 0, `${op.mnemonic}: nothing above its operands`);
  }
});

Deno.test("the interpreter's Field enum starts each field where FIELD does", () => {
  assertEquals(FIELD_VALUES, FIELD);
});

Deno.test("the named accessors read every opcode's operands back, whatever its shape", () => {
  const registerField = [regA, regB, regC];
  for (const op of OPCODES) {
    // Distinct values per position, so that two accessors swapped read the wrong one.
    const operands = op.operands.map((kind, i) =>
      OPERAND_INFO[kind].width === 1 ? REGISTER_COUNT - 1 - i : LARGEST[kind]
    );
    const word = packOne(op.mnemonic, operands)[0];
    assertEquals(opcodeOf(word), op.byte, op.mnemonic);
    op.operands.forEach((kind, i) => {
      const wide = OPERAND_INFO[kind].width === 2;
      let read: number | undefined;
      if (!wide) read = registerField[i](word);
      else if (op.operands.length === 1) read = onlyOperand(word);
      else if (i === 1 && OPERAND_INFO[op.operands[0]].width === 1) read = immediateOf(word);
      assertEquals(read, operands[i], `${op.mnemonic} operand ${i}: a shape the accessors do not name`);
    });
  }
});

Deno.test("a code address outside the code reads as -1; the other slots are zero; End closes the code", () => {
  const jumps = OPCODES.filter((op) => op.operands.includes("code")).map((op) => op.mnemonic);
  assertEquals(jumps.length, 4);
  for (const mnemonic of jumps) {
    assertEquals(onlyOperand(packOne(mnemonic, [4])[0]), 4, `${mnemonic} to hlt`);
    assertEquals(onlyOperand(packOne(mnemonic, [6])[0]), -1, `${mnemonic} misaligned`);
    assertEquals(onlyOperand(packOne(mnemonic, [12])[0]), -1, `${mnemonic} past the end`);
  }
  const packed = packOne("add", [1, 2, 3]);
  assertEquals([...packed.subarray(1, 4), ...packed.subarray(5, 8)], [0, 0, 0, 0, 0, 0]);
  assertEquals(packed[8], Op.End);
});
