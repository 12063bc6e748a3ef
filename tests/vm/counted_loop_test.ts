/**
 * Counted loops in the fast tier (src/vm/fast/counted_loop.ts): which blocks qualify, that the generated
 * code takes the strip-mined path for them, and that it agrees with the plain interpreter for every
 * relation, direction, bound and budget, at the edges of the int32 range included.
 */
import { mulberry32 } from "../../fuzz/random.ts";
import { countingLoop } from "../../bench/programs/workloads.ts";
import { INSTRUCTION_SIZE } from "../../src/isa/opcodes.ts";
import { findBlocks } from "../../src/vm/fast/_blocks.ts";
import { generateCode } from "../../src/vm/fast/codegen.ts";
import { type CountedLoop, findCountedLoop } from "../../src/vm/fast/counted_loop.ts";
import { predecodeCode } from "../../src/vm/predecode.ts";
import type { Program } from "../../src/bytecode/program.ts";
import { assert, assertEquals } from "../assert.ts";
import { type Line, program } from "./_program.ts";
import { compareTiers, DEFAULT_LIMITS } from "./_tiers.ts";

/** The counted loops of `p`'s blocks, by block start (instruction index). */
function countedLoops(p: Program): Map<number, CountedLoop> {
  const code = predecodeCode(p.code);
  const count = p.code.length / INSTRUCTION_SIZE;
  const found = new Map<number, CountedLoop>();
  for (const block of findBlocks(code, count).blocks) {
    const loop = findCountedLoop(code, block);
    if (loop) found.set(block.start, loop);
  }
  return found;
}

/**
 * A loop at `top` (instruction 1, address 4) made of `body`, then `hlt`. It starts with `load $2 #4`, as
 * W1 does: that makes `top` a block of its own, the likely target of a `jmpe $2`.
 */
function loopOf(...body: (Line | string)[]): Program {
  return program([["load", 2, 4], "top:", ...body, ["hlt"]]);
}

Deno.test("W1's loop is a counted loop: $0 stepped up to $1, the branch through $2", () => {
  const loops = countedLoops(countingLoop(1000));
  assertEquals([...loops.keys()], [4]);
  assertEquals(loops.get(4), {
    register: 0,
    step: 1,
    bound: 1,
    relation: "<",
    compareAt: 5,
    targetRegister: 2,
  });
  const source = generateCode(predecodeCode(countingLoop(1000).code), 32, new Uint8Array()).source;
  assert(source.includes("} while (r0 < limit);"), source);
});

Deno.test("relations, mirrored operands, dec and djmpe are recognised", () => {
  const cases: [Program, Partial<CountedLoop>][] = [
    [loopOf(["inc", 0], ["lte", 0, 1], ["djmpe", "@top"]), { relation: "<=", targetRegister: undefined }],
    [loopOf(["inc", 0], ["gt", 1, 0], ["jmpe", 2]), { relation: "<" }],
    [loopOf(["inc", 0], ["neq", 1, 0], ["jmpe", 2]), { relation: "!=" }],
    [loopOf(["dec", 0], ["gte", 0, 1], ["jmpe", 2]), { step: -1, relation: ">=" }],
    [loopOf(["dec", 0], ["lt", 1, 0], ["jmpe", 2]), { step: -1, relation: ">" }],
    // Other pure work in the body, the stepped register read by it, a compare before the step.
    [
      loopOf(["eq", 3, 4], ["add", 0, 3, 3], ["inc", 0], ["mul", 3, 0, 4], ["lt", 0, 1], ["jmpe", 2]),
      { relation: "<", compareAt: 5 },
    ],
  ];
  for (const [p, expected] of cases) {
    const loop = countedLoops(p).get(1);
    assert(loop, JSON.stringify(expected));
    for (const [key, value] of Object.entries(expected)) {
      assertEquals(loop[key as keyof CountedLoop], value, `${key} of ${JSON.stringify(expected)}`);
    }
  }
});

Deno.test("loops that are not counted loops keep the generic code", () => {
  const notCounted = [
    loopOf(["lt", 0, 1], ["inc", 0], ["jmpe", 2]), // the compare before the step
    loopOf(["inc", 0], ["inc", 0], ["lt", 0, 1], ["jmpe", 2]), // stepped twice
    loopOf(["inc", 0], ["load", 1, 9], ["lt", 0, 1], ["jmpe", 2]), // the bound written
    loopOf(["inc", 0], ["lt", 0, 1], ["load", 2, 4], ["jmpe", 2]), // the branch register written
    loopOf(["inc", 0], ["div", 3, 4, 5], ["lt", 0, 1], ["jmpe", 2]), // div can fault
    loopOf(["inc", 0], ["setm", 3, 4], ["lt", 0, 1], ["jmpe", 2]), // memory
    loopOf(["inc", 0], ["eq", 0, 1], ["jmpe", 2]), // eq does not end a walk
    loopOf(["inc", 0], ["gt", 0, 1], ["jmpe", 2]), // walks away from the bound
    loopOf(["dec", 0], ["lte", 0, 1], ["jmpe", 2]),
    loopOf(["inc", 0], ["lt", 0, 0], ["jmpe", 2]), // no bound
    loopOf(["inc", 0], ["lt", 3, 1], ["jmpe", 2]), // compares another register
    loopOf(["inc", 0], ["lt", 0, 1], ["ltf64", 0, 1], ["jmpe", 2]), // the flag is a float compare's
    loopOf(["inc", 0], ["lt", 0, 1], ["djmpe", 16]), // djmpe elsewhere
    loopOf(["add", 0, 3, 0], ["lt", 0, 1], ["jmpe", 2]), // no step
  ];
  notCounted.forEach((p, i) => assertEquals(countedLoops(p).size, 0, `case ${i}`));
});

const EDGE = [0, 1, -1, 5, -5, 40, 2147483647, 2147483646, 2147483640, -2147483648, -2147483647, -2147483640];

/** A value near an int32 edge, near 0, or anywhere. */
function interesting(random: () => number): number {
  const roll = random();
  if (roll < 0.4) return EDGE[Math.floor(random() * EDGE.length)];
  if (roll < 0.8) return Math.floor(random() * 200) - 100;
  return (random() * 2 ** 32) | 0;
}

/**
 * A random loop of the counted shape (a step of $0, a compare of $0 with $1, a branch back through $2 or
 * `djmpe`), with other instructions before and after the step, some of which break the shape on purpose.
 */
function randomCountedLoop(random: () => number): Program {
  const pick = (n: number) => Math.floor(random() * n);
  const filler = (): Line => {
    const roll = random();
    const target = random() < 0.05 ? pick(3) : 3 + pick(3); // now and then it writes $0, $1 or $2
    if (roll < 0.3) return ["add", pick(6), pick(6), target];
    if (roll < 0.5) return ["mul", pick(6), 3 + pick(3), target];
    if (roll < 0.6) return ["load", target, pick(100)];
    if (roll < 0.7) return ["xor", pick(6), pick(6), target];
    if (roll < 0.8) return ["ltf64", 0, 1];
    if (roll < 0.9) return ["eq", pick(6), pick(6)];
    return ["nop"];
  };
  const lines: (Line | string)[] = [["load", 2, 4], "top:"];
  for (let k = pick(3); k > 0; k--) lines.push(filler());
  lines.push([random() < 0.5 ? "inc" : "dec", 0]);
  for (let k = pick(2); k > 0; k--) lines.push(filler());
  const compare = ["lt", "lte", "gt", "gte", "neq", "eq"][pick(6)];
  lines.push(random() < 0.5 ? [compare, 0, 1] : [compare, 1, 0]);
  if (random() < 0.3) lines.push(filler());
  lines.push(random() < 0.5 ? ["jmpe", 2] : ["djmpe", random() < 0.9 ? "@top" : 0]);
  lines.push(["inc", 3], ["hlt"]);
  return program(lines);
}

Deno.test("the strip-mined loops agree with the plain interpreter on 3,000 random counted loops", () => {
  const random = mulberry32(0xc0ffee);
  let counted = 0;
  // Budgets of successive slices, and how many instructions in all: small slices end inside iterations.
  const sliceSets: [number[], number][] = [
    [[1], 300],
    [[2], 300],
    [[3], 600],
    [[1, 2, 3, 5, 7], 1000],
    [[100], 5000],
    [[4096], 50_000],
    [[65_536, 1, 65_537], 300_000],
  ];
  for (let n = 0; n < 3000; n++) {
    const p = randomCountedLoop(random);
    if (countedLoops(p).size > 0) counted++;
    const start = interesting(random);
    // The bound: the start itself or next to it (where a step wraps at the int32 edges), a short walk
    // from it (loops that end inside a slice), or anywhere.
    const roll = random();
    const offset = roll < 0.15
      ? 0
      : roll < 0.35
      ? Math.floor(random() * 5) - 2
      : Math.floor(random() * 300) - 150;
    const bound = roll < 0.7 ? (start + offset) | 0 : interesting(random);
    const target = random() < 0.9 ? 4 : [0, 8, 6, -4][Math.floor(random() * 4)];
    const registers = [start, bound, target, interesting(random), interesting(random), 3];
    compareTiers({
      program: p,
      limits: DEFAULT_LIMITS,
      slices: sliceSets[n % sliceSets.length][0],
      total: sliceSets[n % sliceSets.length][1],
      registers,
      // From `top` the random branch register stays; from 0 it is loaded with `top`. Now and then the
      // run starts inside the loop's body.
      startPc: [4, 4, 0, 8][Math.floor(random() * 4)],
      compileAfter: n % 5 === 0 ? 7 : 0,
    }, `random counted loop ${n} (start ${start}, bound ${bound}, target ${target})`);
  }
  assert(counted > 800, `only ${counted} of the random loops were counted loops`);
});

Deno.test("counted loops at the int32 edges: every relation and direction, every pair of edge values", () => {
  const edges = [-2147483648, -2147483647, -1, 0, 1, 2147483646, 2147483647];
  const shapes: Line[][] = [];
  for (const step of ["inc", "dec"]) {
    for (const compare of ["lt", "lte", "gt", "gte", "neq"]) {
      shapes.push([[step, 0], [compare, 0, 1], ["jmpe", 2]], [[step, 0], [compare, 1, 0], ["djmpe", "@top"]]);
    }
  }
  let scenarios = 0;
  for (const shape of shapes) {
    const p = loopOf(...shape);
    for (const start of edges) {
      for (const bound of edges) {
        // Slices that end inside iterations, and ones that run the strip-mined loop for long.
        for (const [slices, total] of [[[3, 7], 100], [[65_536], 140_000]] as const) {
          compareTiers({
            program: p,
            limits: DEFAULT_LIMITS,
            slices: [...slices],
            total,
            registers: [start, bound, 4],
            startPc: 4,
          }, `${shape.map((line) => line.join(" ")).join("; ")} from ${start} to ${bound}, slices ${slices}`);
          scenarios++;
        }
      }
    }
  }
  assertEquals(scenarios, 20 * 49 * 2);
});
