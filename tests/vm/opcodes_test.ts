import { assertEquals } from "../assert.ts";
import { OPCODES } from "../../src/isa/opcodes.ts";
import { OP_VALUES } from "../../src/vm/interpreter.ts";

/**
 * Pseudo-instructions of the pre-decoder: values past every opcode's byte, never in OPCODES, and right
 * after the last one so that the interpreter's switch stays dense.
 */
const PSEUDO = new Set([
  "Illegal",
  "BadRegister",
  "End",
  "StepCmpJmpe",
  "StepCmpDjmpe",
]);

Deno.test("every OPCODES row has an interpreter Op with the same byte", () => {
  const values: Record<string, number> = OP_VALUES;
  for (const op of OPCODES) {
    const name = op.mnemonic[0].toUpperCase() + op.mnemonic.slice(1);
    assertEquals(values[name], op.byte, `Op.${name}`);
  }
});

Deno.test("every interpreter Op is an OPCODES row or a pseudo-instruction past the last opcode", () => {
  const lastByte = Math.max(...OPCODES.map((op) => op.byte));
  const pseudo: number[] = [];
  for (const [name, value] of Object.entries(OP_VALUES)) {
    if (PSEUDO.has(name)) {
      assertEquals(value > lastByte, true, `Op.${name} = ${value}`);
      pseudo.push(value);
      continue;
    }
    assertEquals(OPCODES.find((op) => op.byte === value)?.mnemonic, name.toLowerCase(), `Op.${name}`);
  }
  // Dense: every value from 0 to the largest is an opcode or a pseudo-instruction.
  assertEquals(pseudo.sort((a, b) => a - b), pseudo.map((_, i) => lastByte + 1 + i));
  assertEquals(OPCODES.length, lastByte + 1);
});
