/**
 * Superinstructions (src/vm/superinstructions.ts): which sequences are fused, and that the interpreter
 * with them agrees with the plain interpreter everywhere: budgets that end inside a sequence, jumps into
 * its middle, faults at its branch, registers shared between its parts.
 */
import { mulberry32 } from "../../fuzz/random.ts";
import { countingLoop } from "../../bench/programs/workloads.ts";
import { INSTRUCTION_SIZE } from "../../src/isa/opcodes.ts";
import { OP_VALUES as Op } from "../../src/vm/interpreter.ts";
import { packCode, predecodeCode } from "../../src/vm/predecode.ts";
import { fuseInstructions } from "../../src/vm/superinstructions.ts";
import { assert, assertEquals } from "../assert.ts";
import { createMachine, type Line, program } from "./_program.ts";
import { compareTiers, DEFAULT_LIMITS } from "./_tiers.ts";

/** The fields of a fused word, as src/vm/superinstructions.ts lays them out. */
function fields(word: number) {
  return {
    op: word & 255,
    step: (word >>> 8) & 31,
    down: (word >>> 13) & 1,
    a: (word >>> 14) & 31,
    b: (word >>> 19) & 31,
    mask: (word >>> 24) & 7,
    target: word >>> 27,
  };
}

Deno.test("a counting loop's step, compare and branch are fused, and the input stays as it was", () => {
  const decoded = predecodeCode(countingLoop(10).code);
  const before = decoded.slice();
  const fused = fuseInstructions(decoded);
  const plain = packCode(decoded);
  assertEquals(decoded, before);
  // inc $0 at `top`, then lt $0 $1 and jmpe $2: all its registers, +1, mask "less than".
  assertEquals(fields(fused[16]), { op: Op.StepCmpJmpe, step: 0, down: 0, a: 0, b: 1, mask: 1, target: 2 });
  // Everything else as packCode has it: load, lui, load, load before; the compare and branch after, for a
  // jump straight to them or a budget that ends inside the sequence.
  assertEquals(fused.subarray(0, 16), plain.subarray(0, 16));
  assertEquals(fused.subarray(17), plain.subarray(17));
});

Deno.test("each compare gets its mask, dec steps by -1, djmpe has its own form, others stay", () => {
  const cases: [string, number][] = [["lt", 1], ["eq", 2], ["lte", 3], ["gt", 4], ["neq", 5], ["gte", 6]];
  for (const [compare, mask] of cases) {
    const code = predecodeCode(
      program([["dec", 3], [compare, 30, 31], ["djmpe", "@end"], "end:", ["hlt"]]).code,
    );
    const fused = fuseInstructions(code);
    assertEquals(fields(fused[0]), { op: Op.StepCmpDjmpe, step: 3, down: 1, a: 30, b: 31, mask, target: 0 });
  }
  const unfused = [
    program([["inc", 0], ["lt", 0, 1], ["nop"], ["jmpe", 2], ["hlt"]]), // not adjacent
    program([["lt", 0, 1], ["jmpe", 2], ["hlt"]]), // no step: a compare and branch alone stay plain
    program([["inc", 0], ["ltf64", 0, 1], ["jmpe", 2], ["hlt"]]), // float compares are not fused
    program([["inc", 0], ["add", 0, 1, 2], ["jmpe", 2], ["hlt"]]),
    program([["inc", 0], ["lt", 0, 1]]), // the branch would be the end sentinel
  ];
  for (const p of unfused) {
    const code = predecodeCode(p.code);
    assertEquals(fuseInstructions(code), packCode(code));
  }
});

Deno.test("a fused branch to a bad address faults at the branch, with the step and compare done", () => {
  // inc $0; lt $0 $1; jmpe $2 with $2 = 6 (misaligned): the plain interpreter is the reference.
  const p = program([["load", 1, 5], ["load", 2, 6], ["inc", 0], ["lt", 0, 1], ["jmpe", 2], ["hlt"]]);
  for (const slices of [[100], [1], [2], [3], [4]]) {
    compareTiers({ program: p, limits: DEFAULT_LIMITS, slices, total: 100 }, `bad jmpe, slices ${slices}`);
  }
  const bad = program([["load", 1, 5], ["inc", 0], ["lt", 0, 1], ["djmpe", 4096], ["hlt"]]);
  compareTiers(
    { program: bad, limits: DEFAULT_LIMITS, slices: [1, 2], total: 100 },
    "djmpe outside the code",
  );
  // The fused interpreter itself: the fault names the branch, after the step and the compare.
  for (const [prog, branchPc] of [[p, 16], [bad, 12]] as const) {
    const { machine } = createMachine(prog);
    const result = machine.run(100);
    assertEquals([result.status, result.fault?.kind, result.fault?.pc], [
      "faulted",
      "jump outside the code",
      branchPc,
    ]);
    assertEquals([machine.registers[0], machine.snapshot().equalFlag], [1, true]);
  }
});

Deno.test("fused loops on the highest registers agree with the plain interpreter", () => {
  // Counting up to 7 in $31 against $30, the target in $29 (the top field of the fused word, bit 31 set),
  // then down in $28 with djmpe.
  const p = program([
    ["load", 30, 7],
    ["load", 29, 12],
    ["inc", 31],
    ["lt", 31, 30],
    ["jmpe", 29],
    ["load", 28, 5],
    "down:",
    ["dec", 28],
    ["gt", 28, 27],
    ["djmpe", "@down"],
    ["prti", 31],
    ["hlt"],
  ]);
  for (const slices of [[1000], [1], [2], [3], [5]]) {
    compareTiers({ program: p, limits: DEFAULT_LIMITS, slices, total: 1000 }, `high registers, ${slices}`);
  }
});

Deno.test("a loop of the fused sequence alone agrees with the plain interpreter", () => {
  // top: inc $0; lt $0 $1; jmpe $2 with $2 = top: the branch back to the fused word itself, ended by the
  // compare, by budgets that end inside a round (1 to 7, and mixed), or by the interrupt check's 4,096.
  const alone = program([["load", 1, 5000], ["load", 2, 8], "top:", ["inc", 0], ["lt", 0, 1], ["jmpe", 2], [
    "prti",
    0,
  ], ["hlt"]]);
  for (const slices of [[20_000], [1], [2], [3], [4], [5], [7], [1, 2, 3, 5, 7, 4096, 11]]) {
    compareTiers(
      { program: alone, limits: DEFAULT_LIMITS, slices, total: 20_000 },
      `alone, slices ${slices}`,
    );
  }
  // Counting down with the step register on both sides of the compare (`lte $0 $0` holds every round).
  const both = program([["load", 2, 4], "top:", ["dec", 0], ["lte", 0, 0], ["jmpe", 2], ["hlt"]]);
  for (const slices of [[10_000], [3], [4], [3, 5, 8]]) {
    compareTiers({ program: both, limits: DEFAULT_LIMITS, slices, total: 10_000 }, `both, slices ${slices}`);
  }
  // The step moves the target register: $2 = 7 becomes 8 (`top`) at the first step, 9 at the second,
  // whose branch faults.
  const moving = program([["load", 2, 7], ["load", 1, 100], "top:", ["inc", 2], ["lt", 2, 1], ["jmpe", 2], [
    "hlt",
  ]]);
  for (const slices of [[100], [1], [3], [6]]) {
    compareTiers({ program: moving, limits: DEFAULT_LIMITS, slices, total: 100 }, `moving, slices ${slices}`);
  }
});

Deno.test("an endless loop of the fused sequence alone stops at the budget, and when interrupted", () => {
  const endless = program([["load", 2, 4], "top:", ["inc", 0], ["eq", 1, 1], ["jmpe", 2], ["hlt"]]);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { machine } = createMachine(endless, { interruptFlag: flag });
  // The load, 333,333 rounds, then the step of one more: pc on its compare.
  assertEquals(machine.run(1_000_001), { status: "budget", executed: 1_000_001 });
  assertEquals([machine.registers[0], machine.pc], [333_334, 8]);
  // A worker raises the flag while this thread is inside run(); without the check, 3e9 instructions
  // would take many seconds and end with "budget".
  const source = "self.onmessage = (e) => { setTimeout(() => Atomics.store(e.data, 0, 1), 50); };";
  const worker = new Worker(`data:text/javascript,${encodeURIComponent(source)}`, { type: "module" });
  try {
    worker.postMessage(flag);
    const result = machine.run(3_000_000_000);
    assertEquals(result.status, "interrupted");
    assert(result.executed < 3_000_000_000, `executed ${result.executed}`);
  } finally {
    worker.terminate();
  }
});

/** Registers the random loops use: few, so a step, a compare and a branch often share one. */
const REGISTERS = 4;

/**
 * A random program of loops closed by fusable sequences, with other instructions between them; jump
 * targets are loaded into registers (often, but not always, aligned and inside the code).
 */
function randomLoops(random: () => number): ReturnType<typeof program> {
  const pick = (n: number) => Math.floor(random() * n);
  const compares = ["eq", "neq", "gte", "lte", "lt", "gt"];
  const lines: (Line | string)[] = [];
  const sequences = 1 + pick(5);
  const reg = () => pick(REGISTERS);
  for (let k = 0; k < sequences; k++) {
    lines.push(`s${k}:`);
    for (let filler = pick(3); filler > 0; filler--) {
      lines.push(random() < 0.5 ? ["add", reg(), reg(), reg()] : ["load", reg(), pick(12)]);
    }
    if (random() < 0.7) lines.push([random() < 0.5 ? "inc" : "dec", reg()]);
    lines.push([compares[pick(compares.length)], reg(), reg()]);
    if (random() < 0.5) {
      const target = random() < 0.9 ? `@s${pick(sequences)}` : pick(4096);
      lines.push(["djmpe", target]);
    } else {
      const target = reg();
      lines.push(["jmpe", target]);
    }
  }
  lines.push(["hlt"]);
  // Registers start small; some hold code addresses, a few odd ones.
  return program(lines);
}

Deno.test("the interpreter with superinstructions agrees with the plain one on 2,000 random loops", () => {
  const random = mulberry32(0x5eed);
  let fusedSeen = 0;
  for (let n = 0; n < 2000; n++) {
    const p = randomLoops(random);
    const code = predecodeCode(p.code);
    const fused = fuseInstructions(code);
    for (let pc = 0; pc < p.code.length; pc += INSTRUCTION_SIZE) if (fused[pc] !== code[pc]) fusedSeen++;
    const count = p.code.length / INSTRUCTION_SIZE;
    const registers = Array.from({ length: 8 }, () => {
      const roll = random();
      if (roll < 0.5) return Math.floor(random() * count) * INSTRUCTION_SIZE; // a valid jump target
      if (roll < 0.6) return Math.floor(random() * 64) - 8; // negative or misaligned
      return Math.floor(random() * 12);
    });
    const slices = [[1], [2], [3], [1, 2, 3, 5, 7], [100]][n % 5];
    compareTiers({
      program: p,
      limits: DEFAULT_LIMITS,
      slices,
      total: 400,
      registers,
      startPc: n % 3 === 0 ? Math.floor(random() * count) * INSTRUCTION_SIZE : undefined,
      compileAfter: n % 4 === 0 ? 3 : 0,
    }, `random loops ${n}`);
  }
  assert(fusedSeen > 2000, `only ${fusedSeen} fused instructions`);
});
