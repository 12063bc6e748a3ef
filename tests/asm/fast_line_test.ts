/**
 * The assembler's fast path (src/asm/fast_line.ts) against the lexer and parser: every source assembles
 * to the same result, bytes, symbols and diagnostics alike, with the fast path and without it.
 *
 * Mutations checked: the fast path taking a register past $31, an immediate past the operand's range, a
 * label already defined, or a line inside .data (each: a result without the diagnostic); a label operand
 * resolved without checking its section (a data label's address where an error belongs); the fix-up of a
 * label operand writing the wrong value.
 */
import { randomLine, randomSource } from "../../fuzz/assembly.ts";
import { Random } from "../../fuzz/random.ts";
import { generateChunk } from "../../bench/workloads/w4_generate.ts";
import { assemble, type AssembleResult } from "../../src/asm/assembler.ts";
import { FAST_PATH } from "../../src/asm/fast_line.ts";
import { assertEquals } from "../assert.ts";

function bothWays(source: string): [AssembleResult, AssembleResult] {
  const fast = assemble(source, { file: "f.iasm" });
  FAST_PATH.enabled = false;
  try {
    return [fast, assemble(source, { file: "f.iasm" })];
  } finally {
    FAST_PATH.enabled = true;
  }
}

const PLAIN_LINES = [
  "add $1 $2 $3",
  "x: add $1 $2 $3 ; sum",
  "x: load $1 #7",
  "load $32 #1",
  "load $1 #65535",
  "load $1 #65536",
  "load $1 #0070000",
  "shl $1 #31",
  "shl $1 #32",
  "djmp @x",
  "djmp @d",
  "djmp @nowhere",
  "ldi $1 @d",
  "ldi $1 @x",
  "ldi $1 @short",
  "prts @d",
  "load $1 @x",
  "add $1 $2",
  "add $1 $2 $3 $4",
  "hlt #1",
  "ADD $1 $2 $3",
  "x:",
  "x: hlt",
  "y: y: hlt",
  "inc $1;c",
  "inc\t$1\r",
  "inc $1'a'",
  "loadf64 $1 #2",
  "addf64 $1 $2 $40",
  ".code",
  ".data",
  "d: .integer #5",
  "short: .bytes #1",
  "e: .asciiz 'hi'",
];

Deno.test("plain lines and their edge cases assemble the same with and without the fast path", () => {
  const random = new Random(0xfa57);
  for (let n = 0; n < 3000; n++) {
    const lines = Array.from({ length: random.range(1, 12) }, () => random.pick(PLAIN_LINES));
    const source = lines.join("\n");
    const [fast, full] = bothWays(source);
    assertEquals(fast, full, source);
  }
});

Deno.test("random sources assemble the same with and without the fast path", () => {
  const random = new Random(0x5eed);
  for (let n = 0; n < 3000; n++) {
    const source = n % 2 === 0
      ? randomSource(random)
      : Array.from({ length: 30 }, () => randomLine(random, true)).join("\n");
    const [fast, full] = bothWays(source);
    assertEquals(fast, full, source);
  }
});

Deno.test("W4's generated programs assemble the same with and without the fast path", () => {
  for (let seed = 1; seed <= 3; seed++) {
    const [fast, full] = bothWays(generateChunk(15_000, seed).iasm);
    assertEquals(fast.ok, true);
    assertEquals(fast, full);
  }
});
