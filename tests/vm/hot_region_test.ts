/**
 * Compiling only the hot blocks of a large program (src/vm/fast/tier.ts): samples of the interpreted run
 * choose the blocks, control outside them goes through the interpreter, and a program hot in too many
 * blocks stays interpreted. Every run is checked against the reference interpreter.
 */
import { hotEverywhere, loopThenChain } from "../../bench/programs/workloads.ts";
import type { Program } from "../../src/bytecode/program.ts";
import { CompilingExecutor } from "../../src/vm/fast/compiling_executor.ts";
import { findBlocks } from "../../src/vm/fast/_blocks.ts";
import { createMachine } from "../../src/vm/fast/select.ts";
import { hotBlocks, MAX_ENTRY_BLOCKS } from "../../src/vm/fast/tier.ts";
import { predecodeCode } from "../../src/vm/predecode.ts";
import { assert, assertEquals } from "../assert.ts";
import { compareTiers, DEFAULT_LIMITS } from "./_tiers.ts";

function isCompiledAfter(p: Program, budget: number, compileAfter: number): boolean {
  const machine = createMachine(p, { ...DEFAULT_LIMITS, output: () => {}, compileAfter });
  machine.run(budget);
  return machine.executor instanceof CompilingExecutor && machine.executor.isCompiled;
}

Deno.test("hotBlocks maps sampled addresses to their blocks, in code order, once each", () => {
  const p = loopThenChain(10, 3);
  const blockMap = findBlocks(predecodeCode(p.code), p.code.length / 4);
  const starts = blockMap.blocks.map((block) => block.start);
  assertEquals(starts.slice(0, 4), [0, 3, 7, 77]);
  // Block 3 (instructions 3-6) by its start and its middle, block 0 by its second instruction; the end
  // sentinel, an unaligned and a negative address are no block.
  const hot = hotBlocks(blockMap, [16, p.code.length, 4, 12, 3, -4, 12]);
  assertEquals(hot.map((block) => block.start), [0, 3]);
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
