/**
 * The fast tier and the superinstructions against the plain reference interpreter: every example, every
 * conformance program and thousands of seeded random programs run on all three, in slices, and must agree
 * on everything observable (one suite, several CPUs). See tests/vm/_tiers.ts.
 *
 * Mutations caught: the fast tier never compiling (the harness asserts compiled code), any instruction that
 * the tiers compute differently, and an empty or missing tests/programs/.
 */
import { mulberry32 } from "../../fuzz/random.ts";
import { assemble } from "../../src/asm/assembler.ts";
import type { Program } from "../../src/bytecode/program.ts";
import { encodeInstruction } from "../../src/isa/encoding.ts";
import { INSTRUCTION_SIZE, OPCODE_BY_BYTE, OPCODE_BY_MNEMONIC, OPCODES } from "../../src/isa/opcodes.ts";
import { CompilingExecutor } from "../../src/vm/fast/compiling_executor.ts";
import { createMachine } from "../../src/vm/fast/select.ts";
import { INTERPRETER } from "../../src/vm/machine.ts";
import { countingLoop, fibonacci } from "../../bench/programs/workloads.ts";
import { assert, assertEquals } from "../assert.ts";
import { compareTiers, DEFAULT_LIMITS, type Limits } from "./_tiers.ts";

const randomSource = mulberry32;

/** Files with assembly under `dir` (recursively), or none when it does not exist. */
function assemblyFiles(dir: string): string[] {
  const found: string[] = [];
  try {
    for (const entry of Deno.readDirSync(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) found.push(...assemblyFiles(path));
      else if (entry.name.endsWith(".iasm")) found.push(path);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found.sort();
}

Deno.test("the fast tier agrees with the interpreter on every example and conformance program", () => {
  const conformance = assemblyFiles("tests/programs");
  assert(conformance.length > 0, "tests/programs holds no conformance program");
  const files = [...assemblyFiles("examples"), ...conformance, ...assemblyFiles("bench")];
  let compared = 0;
  for (const file of files) {
    const assembled = assemble(Deno.readTextFileSync(file), { file });
    if (!assembled.ok) continue; // programs that must not assemble have nothing to run
    const program = { code: assembled.code, rodata: assembled.rodata, entry: assembled.entry };
    const quick = file.startsWith("bench") ? 300_000 : 2_000_000;
    for (const slices of [[quick], [7], [1, 2, 3, 5, 1000]]) {
      compareTiers(
        { program, limits: DEFAULT_LIMITS, slices, total: slices[0] === 7 ? 20_000 : quick },
        file,
      );
    }
    compared++;
  }
  assert(compared > conformance.length / 2, `only ${compared} of ${files.length} programs assembled`);
});

Deno.test("the fast tier agrees with the interpreter on the benchmark workloads, sliced", () => {
  for (const program of [countingLoop(30_000), fibonacci(15)]) {
    compareTiers(
      { program, limits: DEFAULT_LIMITS, slices: [1, 7, 4096, 65_537, 3], total: 10_000_000 },
      "workload",
    );
    compareTiers(
      { program, limits: DEFAULT_LIMITS, slices: [1e9], total: 1e9, compileAfter: 1000 },
      "workload",
    );
  }
});

/** Opcode bytes the generator favours: control flow and memory, where the tiers differ most. */
const FAVOURED = [
  "jmp",
  "jmpf",
  "jmpb",
  "jmpe",
  "djmp",
  "djmpe",
  "loop",
  "call",
  "ret",
  "push",
  "pop",
  "div",
  "rem",
  "lt",
  "itof",
  "ftoi",
];

/** A random program of valid-looking instructions, with some illegal bytes and bad registers mixed in. */
function randomProgram(random: () => number): Program {
  const pick = (n: number) => Math.floor(random() * n);
  const count = 2 + pick(40);
  const codeLength = count * INSTRUCTION_SIZE;
  const code = new Uint8Array(codeLength);
  const address = () => {
    const roll = random();
    if (roll < 0.85) return pick(count + 1) * INSTRUCTION_SIZE;
    if (roll < 0.95) return pick(codeLength + 8); // unaligned or past the end
    return pick(0x10000);
  };
  const register = () => random() < 0.01 ? 32 + pick(224) : pick(8);
  const rodata = new Uint8Array(pick(24));
  for (let i = 0; i < rodata.length; i++) rodata[i] = random() < 0.3 ? 0 : 32 + pick(90);
  for (let i = 0; i < count; i++) {
    if (random() < 0.01) {
      code[i * INSTRUCTION_SIZE] = OPCODES.length + pick(256 - OPCODES.length); // illegal opcode
      continue;
    }
    const op = random() < 0.35
      ? OPCODE_BY_MNEMONIC.get(FAVOURED[pick(FAVOURED.length)])!
      : OPCODES[pick(OPCODES.length)];
    const values = op.operands.map((kind) => {
      switch (kind) {
        case "reg":
        case "freg":
          return register();
        case "imm16":
          // Small counts, code addresses (for `load` before a jump), occasionally anything.
          return random() < 0.5 ? pick(20) : random() < 0.7 ? address() : pick(0x10000);
        case "shift":
          return pick(32);
        case "code":
          return address();
        case "rodata":
          return random() < 0.9 ? pick(rodata.length + 1) : pick(0x10000);
      }
    });
    encodeInstruction(op, values, code, i * INSTRUCTION_SIZE);
  }
  return { code, rodata, entry: 0 };
}

Deno.test("the fast tier agrees with the interpreter on 4,000 random programs, sliced", () => {
  const random = randomSource(0x1d1d1d);
  // Slices and how far to follow each program with them: one-instruction slices are the slowest to compare.
  const sliceSets: [number[], number][] = [[[1], 150], [[7], 700], [[3, 1, 4, 1, 5, 9, 2, 6], 400], [
    [100],
    3000,
  ], [
    [1000],
    3000,
  ]];
  let slices = 0;
  for (let n = 0; n < 4000; n++) {
    const program = randomProgram(random);
    const registers = Array.from({ length: 32 }, () => random() < 0.5 ? Math.floor(random() * 64) - 8 : 0);
    const limits: Limits = {
      heapLimit: 64 + Math.floor(random() * 256),
      stackLimit: 1 + Math.floor(random() * 40),
      endOfCode: random() < 0.5 ? "fault" : "pause",
    };
    const startPc = random() < 0.2
      ? Math.floor(random() * (program.code.length / INSTRUCTION_SIZE)) * INSTRUCTION_SIZE
      : undefined;
    slices += compareTiers({
      program,
      limits,
      slices: sliceSets[n % sliceSets.length][0],
      total: sliceSets[n % sliceSets.length][1],
      registers,
      startPc,
      compileAfter: n % 7 === 0 ? 5 : 0,
    }, `random program ${n}: ${disassemble(program)}`);
  }
  assert(slices > 4000);
});

/** The program as text for failure messages. */
function disassemble(program: Program): string {
  const lines: string[] = [];
  for (let pc = 0; pc < program.code.length; pc += INSTRUCTION_SIZE) {
    const op = OPCODE_BY_BYTE[program.code[pc]];
    lines.push(`${pc}: ${op?.mnemonic ?? "?"} ${[...program.code.subarray(pc + 1, pc + 4)].join(" ")}`);
  }
  return `\n${lines.join("\n")}\n`;
}

Deno.test("an interrupt before run() stops both tiers at once", () => {
  const program = countingLoop(1_000_000);
  const machine = createMachine(program, { ...DEFAULT_LIMITS, output: () => {}, compileAfter: 0 });
  machine.interrupt();
  assertEquals(machine.run(1000), { status: "interrupted", executed: 0 });
  assertEquals(machine.run(1000), { status: "budget", executed: 1000 });
});

Deno.test("an endless loop stays stoppable by the budget in the fast tier", () => {
  const program = { code: new Uint8Array([6, 31, 0, 0]), rodata: new Uint8Array(), entry: 0 }; // jmp $31
  const machine = createMachine(program, { ...DEFAULT_LIMITS, output: () => {}, compileAfter: 0 });
  assertEquals(machine.run(5_000_000), { status: "budget", executed: 5_000_000 });
  assert(machine.executor instanceof CompilingExecutor && machine.executor.isCompiled);
});

Deno.test("createMachine() picks the fast tier unless told otherwise or the program is too big", () => {
  const options = { ...DEFAULT_LIMITS, output: () => {} };
  assert(createMachine(countingLoop(10), options).executor instanceof CompilingExecutor);
  assertEquals(createMachine(countingLoop(10), { ...options, tier: "interpreter" }).executor, INTERPRETER);
  const huge = { code: new Uint8Array(20_000 * INSTRUCTION_SIZE), rodata: new Uint8Array(), entry: 0 };
  assertEquals(createMachine(huge, options).executor, INTERPRETER);
});
