import { assertEquals } from "../assert.ts";
import { OPCODES } from "../../src/isa/opcodes.ts";
import { OP_VALUES } from "../../src/vm/interpreter.ts";

/** Pseudo-instructions of the pre-decoder: values past any byte, never in OPCODES. */
const PSEUDO = new Set([
  "Illegal",
  "BadRegister",
  "End",
  "CmpJmpe",
  "CmpDjmpe",
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

Deno.test("every interpreter Op is an OPCODES row or a pseudo-instruction past 255", () => {
  for (const [name, value] of Object.entries(OP_VALUES)) {
    if (PSEUDO.has(name)) {
      assertEquals(value > 255, true, `Op.${name} = ${value}`);
      continue;
    }
    assertEquals(OPCODES.find((op) => op.byte === value)?.mnemonic, name.toLowerCase(), `Op.${name}`);
  }
});
