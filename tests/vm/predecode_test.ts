/**
 * The interpreter's packed words (src/vm/predecode.ts `packCode`): every opcode's operands land in the
 * fields the interpreter reads, at their largest values, and a code address outside the code reads as -1.
 */
import { encodeInstruction } from "../../src/isa/encoding.ts";
import { INSTRUCTION_SIZE, OPCODES } from "../../src/isa/opcodes.ts";
import { OPERAND_INFO, type OperandKind, REGISTER_COUNT } from "../../src/isa/operands.ts";
import { OP_VALUES as Op } from "../../src/vm/interpreter.ts";
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

Deno.test("a code address outside the code reads as -1; the other slots are zero; End closes the code", () => {
  for (const mnemonic of ["djmpe", "call", "loop"]) {
    assertEquals(packOne(mnemonic, [4])[0] >> 8, 4, `${mnemonic} to hlt`);
    assertEquals(packOne(mnemonic, [6])[0] >> 8, -1, `${mnemonic} misaligned`);
    assertEquals(packOne(mnemonic, [12])[0] >> 8, -1, `${mnemonic} past the end`);
  }
  const packed = packOne("add", [1, 2, 3]);
  assertEquals([...packed.subarray(1, 4), ...packed.subarray(5, 8)], [0, 0, 0, 0, 0, 0]);
  assertEquals(packed[8], Op.End);
});
