/**
 * Compiling only the hot blocks of a large program (src/vm/fast/tier.ts): samples of the interpreted run
 * choose the blocks, control outside them goes through the interpreter, and a program hot in too many
 * blocks stays interpreted. Every run is checked against the reference interpreter.
 */
import type { Program } from "../../src/bytecode/program.ts";
import { CompilingExecutor } from "../../src/vm/fast/compiling_executor.ts";
import { findBlocks } from "../../src/vm/fast/_blocks.ts";
import { createMachine } from "../../src/vm/fast/select.ts";
import { hotBlocks, MAX_ENTRY_BLOCKS } from "../../src/vm/fast/tier.ts";
import { predecodeCode } from "../../src/vm/predecode.ts";
import { assert, assertEquals } from "../assert.ts";
import { type Line, program } from "./_program.ts";
import { compareTiers, DEFAULT_LIMITS } from "./_tiers.ts";

/**
 * A counting loop of `iterations` (with a division in it); a block of 70 instructions, too long to inline,
 * so that the loop's case continues into it by falling through or by the dispatch; a chain of `cold`
 * blocks; `hlt`.
 */
function loopThenChain(iterations: number, cold: number): Program {
  const lines: (Line | string)[] = [
    ["load", 4, iterations],
    ["load", 6, 3],
    "top:",
    ["inc", 3],
    ["div", 3, 6, 7],
    ["lt", 3, 4],
    ["djmpe", "@top"],
    ...Array.from({ length: 68 }, (): Line => ["inc", 5]),
    ["eq", 0, 0], // the flag stays set along the chain: every djmpe below is taken
    ["djmpe", "@c0"],
  ];
  for (let i = 0; i < cold; i++) lines.push(`c${i}:`, ["add", 5, 7, 7], ["inc", 5], ["djmpe", `@c${i + 1}`]);
  lines.push(`c${cold}:`, ["prti", 7], ["hlt"]);
  return program(lines);
}

/** `count` blocks in one cycle (block i continues at block i + 7), each adding and counting to $4. */
function hotEverywhere(count: number): Program {
  const lines: (Line | string)[] = [["load", 4, 0x7fff], ["lui", 4, 0xffff]];
  for (let i = 0; i < count; i++) {
    lines.push(`b${i}:`, ["add", i % 8, 1, 2], ["inc", 3], ["lt", 3, 4], ["djmpe", `@b${(i + 7) % count}`]);
  }
  lines.push(["hlt"]);
  return program(lines);
}

function isCompiledAfter(p: Program, budget: number, compileAfter: number): boolean {
  const machine = createMachine(p, { ...DEFAULT_LIMITS, output: () => {}, compileAfter });
  machine.run(budget);
  return machine.executor instanceof CompilingExecutor && machine.executor.isCompiled;
}

Deno.test("hotBlocks maps sampled addresses to their blocks, in code order, once each", () => {
  const p = loopThenChain(10, 3);
  const blockMap = findBlocks(predecodeCode(p.code), p.code.length / 4);
  const starts = blockMap.blocks.map((block) => block.start);
  assertEquals(starts.slice(0, 4), [0, 2, 6, 76]);
  // Block 2 (instructions 2-5) by its start and its middle, block 0 by its second instruction; the end
  // sentinel, an unaligned and a negative address are no block.
  const hot = hotBlocks(blockMap, [8 + 4, p.code.length, 4, 8, 3, -4, 8]);
  assertEquals(hot.map((block) => block.start), [0, 2]);
  assertEquals(hotBlocks(blockMap, []), []);
});

Deno.test("a large program compiles its hot loop only, and runs its cold code as the interpreter does", () => {
  const p = loopThenChain(6_000, 300);
  assert(findBlocks(predecodeCode(p.code), p.code.length / 4).blocks.length > MAX_ENTRY_BLOCKS);
  assert(isCompiledAfter(p, 20_000, 2_000), "the loop was not compiled");
  for (const slices of [[1_000_000], [65_536, 3], [777], [5, 1, 2]]) {
    compareTiers(
      { program: p, limits: DEFAULT_LIMITS, slices, total: 100_000, compileAfter: 2_000 },
      `loop then 300 cold blocks, slices ${slices}`,
    );
  }
});

Deno.test("a large program hot in more blocks than the fast tier takes stays interpreted", () => {
  const p = hotEverywhere(600);
  assert(!isCompiledAfter(p, 100_000, 20_000), "compiled");
  compareTiers(
    { program: p, limits: DEFAULT_LIMITS, slices: [30_001], total: 120_000, compileAfter: 20_000 },
    "600 hot blocks",
  );
  // Small enough to compile whole, the same shape is compiled.
  assert(isCompiledAfter(hotEverywhere(100), 100_000, 20_000), "100 blocks not compiled");
});
