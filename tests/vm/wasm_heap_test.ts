/**
 * The VM heap in WebAssembly linear memory (src/vm/state.ts `heapMemory`, src/vm/fast/wasm_heap.ts): heap
 * programs are compiled to WebAssembly and run there without handing `loadm`/`setm` to the interpreter,
 * agree with the interpreter at every edge of the heap (just inside, just past, negative addresses,
 * growth by `aloc` across many pages, the heap limit), start from zeros after a reset, and keep their own
 * bytes when two machines run the same compiled code.
 *
 * Mutations each test was checked against: `loadm`/`setm` always handed over in wasm_codegen.ts (the
 * first test: the run stops at the first access); the bounds check letting through an access at
 * `heapSize - 3` (the edge scenarios and the random programs: a read past the heap instead of a fault);
 * a large heap kept in a plain array, or copied into a fresh memory on every adoption (the in-place test);
 * the module's views of a grown memory not remade (the growth scenarios: a detached view).
 */
import type { Program } from "../../src/bytecode/program.ts";
import type { CompilingExecutor } from "../../src/vm/fast/compiling_executor.ts";
import { createMachine } from "../../src/vm/fast/select.ts";
import { compileState } from "../../src/vm/fast/tier.ts";
import { HALTED } from "../../src/vm/fast/codegen.ts";
import { interpret } from "../../src/vm/interpreter.ts";
import { loadProgram } from "../../src/vm/machine.ts";
import { growHeap, VmState } from "../../src/vm/state.ts";
import { mulberry32 } from "../../fuzz/random.ts";
import { assert, assertEquals } from "../assert.ts";
import { type Line, program } from "./_program.ts";
import { compareTiers, DEFAULT_LIMITS } from "./_tiers.ts";

/** Fills words 0..n-1 of a heap of `n` words with i * 3, then sums them into $5; n in $0. */
const FILL_AND_SUM: (Line | string)[] = [
  ["load", 1, 4],
  ["mul", 0, 1, 2], // bytes
  ["aloc", 2],
  ["load", 3, 0], // address
  ["load", 4, 0], // value
  "fill:",
  ["setm", 3, 4],
  ["add", 3, 1, 3],
  ["inc", 4],
  ["inc", 4],
  ["inc", 4],
  ["lt", 3, 2],
  ["djmpe", "@fill"],
  ["load", 3, 0],
  "sum:",
  ["loadm", 3, 6],
  ["add", 5, 6, 5],
  ["add", 3, 1, 3],
  ["lt", 3, 2],
  ["djmpe", "@sum"],
  ["hlt"],
];

function stateFor(p: Program, heapLimit = 1 << 24): VmState {
  const s = new VmState(() => {}, heapLimit, 1 << 12, false, undefined);
  loadProgram(s, p, false);
  return s;
}

/** The compiling machine's back end after it ran `p` to its end. */
function runToEnd(p: Program, heapLimit: number): { backend?: string; stop: string } {
  const machine = createMachine(p, { ...DEFAULT_LIMITS, heapLimit, output: () => {}, compileAfter: 0 });
  const result = machine.run(1e7);
  const stop = result.fault ? result.fault.kind : result.status;
  return { backend: (machine.executor as CompilingExecutor).backend, stop };
}

Deno.test("a heap loop runs whole in WebAssembly: loadm and setm are not handed to the interpreter", () => {
  const p = program(FILL_AND_SUM);
  const s = stateFor(p), reference = stateFor(p);
  s.registers[0] = reference.registers[0] = 50_000;
  // Run the aloc (the first three instructions) in the interpreter, as the tier does: it is handed over.
  interpret(s, 3);
  interpret(reference, 1e7);
  const compiled = compileState(s)!;
  assertEquals(compiled.backend, "wasm");
  const exit = compiled.run(s, 1e7);
  assertEquals(exit, HALTED, "the compiled code handed something over");
  assertEquals(s.executed + 3, reference.executed);
  assertEquals([...s.registers], [...reference.registers]);
  assertEquals(s.heap.subarray(0, s.heapSize), reference.heap.subarray(0, reference.heapSize));
});

Deno.test("heap programs agree with the interpreter at every edge of the heap, compiled to WebAssembly", () => {
  const access = (op: "loadm" | "setm", address: number, grow = 0): Program =>
    program([
      ["load", 2, grow],
      ["aloc", 2],
      ["load", 0, address],
      ["load", 1, 0x1234],
      "again:",
      [op, 0, 1],
      ["inc", 7],
      ["lt", 7, 3],
      ["djmpe", "@again"],
      ["hlt"],
    ]);
  const scenarios: [string, Program, number[]][] = [];
  for (const op of ["loadm", "setm"] as const) {
    for (const [address, grow] of [[60, 0], [61, 0], [64, 0], [0, 0], [1, 0], [1020, 960], [1021, 960]]) {
      scenarios.push([`${op} at ${address}, heap ${64 + grow}`, access(op, address, grow), [0, 0, grow, 50]]);
    }
    // Negative and huge addresses, through the register: -1, -4, 2^31 - 3.
    for (const address of [-1, -4, 0x7ffffffd]) {
      const p = program([
        ["load", 1, 5],
        "again:",
        [op, 0, 1],
        ["inc", 7],
        ["lt", 7, 3],
        ["djmpe", "@again"],
        ["hlt"],
      ]);
      scenarios.push([`${op} at ${address}`, p, [address, 0, 0, 50]]);
    }
  }
  for (const [name, p, registers] of scenarios) {
    assertEquals(runToEnd(p, DEFAULT_LIMITS.heapLimit!).backend, "wasm", name);
    for (const slices of [[1], [3, 7], [1000]]) {
      compareTiers(
        { program: p, limits: DEFAULT_LIMITS, slices, total: 400, registers },
        `${name} ${slices}`,
      );
    }
  }
});

Deno.test("a heap grown by aloc past the module's memory, and up to the heap limit, agrees with the interpreter", () => {
  // Grows by 40,000 bytes a round, writes the new last word and reads back every round's last word: the
  // heap passes several 64 KiB pages, and the limit faults at the round that would pass 400,064 bytes.
  const grow = program([
    ["load", 1, 40_000],
    "round:",
    ["aloc", 1],
    ["add", 2, 1, 2], // heap bytes past the first 64
    ["load", 3, 60],
    ["add", 2, 3, 3], // the last word: 64 + bytes - 4
    ["setm", 3, 2],
    ["loadm", 3, 5],
    ["add", 6, 5, 6],
    ["load", 3, 60], // the first round's last word, and every round's, read back
    "read:",
    ["add", 3, 1, 3],
    ["loadm", 3, 5],
    ["add", 7, 5, 7],
    ["lt", 3, 2],
    ["djmpe", "@read"],
    ["eq", 0, 0],
    ["djmpe", "@round"],
  ]);
  const limits = { ...DEFAULT_LIMITS, heapLimit: 400_064 };
  assertEquals(runToEnd(grow, limits.heapLimit), { backend: "wasm", stop: "heap limit exceeded" });
  for (const slices of [[13], [1000], [100_000]]) {
    compareTiers({ program: grow, limits, slices, total: 20_000 }, `growth, slices ${slices}`);
  }
});

Deno.test("a reset machine's heap reads zero where the compiled run before it wrote", () => {
  const p = program([
    ["load", 0, 4096],
    ["aloc", 0],
    ["load", 1, 1000],
    ["loadm", 1, 2],
    ["load", 3, 7],
    ["setm", 1, 3],
    ["hlt"],
  ]);
  const machine = createMachine(p, { ...DEFAULT_LIMITS, output: () => {}, compileAfter: 0 });
  machine.run(100);
  assertEquals((machine.executor as CompilingExecutor).backend, "wasm");
  assertEquals(machine.heapBytes()[1000], 7);
  machine.reset();
  assertEquals(machine.heapSize, 64);
  machine.run(100);
  assertEquals(machine.registers[2], 0, "the reset heap kept a byte of the run before");
  assertEquals(machine.heapBytes()[1000], 7);
});

Deno.test("two machines running the same compiled code keep their own heaps", () => {
  const p = program(FILL_AND_SUM);
  const first = stateFor(p), second = stateFor(p);
  first.registers[0] = 100;
  second.registers[0] = 200;
  interpret(first, 3);
  interpret(second, 3);
  const compiled = compileState(first)!;
  assertEquals(compiled.run(first, 1e6), HALTED);
  const firstHeap = first.heap.slice(0, first.heapSize);
  assertEquals(compiled.run(second, 1e6), HALTED);
  assertEquals(first.heap.subarray(0, first.heapSize), firstHeap);
  assertEquals(second.registers[5], 3 * (200 * 199) / 2);
  assert(first.heap.buffer !== second.heap.buffer || first.heap.byteOffset !== second.heap.byteOffset);
  // And back: the first machine's bytes, copied in again, sum as before.
  first.pc = 12 * 4; // `load $3 #0` before the summing loop
  first.registers[5] = 0;
  assertEquals(compiled.run(first, 1e6), HALTED);
  assertEquals(first.registers[5], 3 * (100 * 99) / 2);
});

/**
 * A random heap program: addresses near the heap's edges in registers, accesses, `aloc`s, arithmetic on
 * addresses and values, and backward branches, so that the accesses repeat across the heap's growth.
 */
function randomHeapProgram(random: () => number): { p: Program; registers: number[] } {
  const pick = (n: number) => Math.floor(random() * n);
  const lines: (Line | string)[] = [];
  const length = 4 + pick(20);
  for (let i = 0; i < length; i++) {
    lines.push(`l${i}:`);
    const r = () => pick(6);
    const roll = random();
    if (roll < 0.3) lines.push([random() < 0.5 ? "loadm" : "setm", r(), r()]);
    else if (roll < 0.4) lines.push(["aloc", r()]);
    else if (roll < 0.6) lines.push([["add", "sub", "xor"][pick(3)], r(), r(), r()]);
    else if (roll < 0.7) lines.push([random() < 0.5 ? "inc" : "dec", r()]);
    else if (roll < 0.8) lines.push(["load", r(), [0, 4, 60, 61, 64, 100, 252, 4096][pick(8)]]);
    else if (roll < 0.9) lines.push([["lt", "gt", "neq"][pick(3)], r(), r()]);
    else lines.push(["djmpe", `@l${pick(i + 1)}`]);
  }
  lines.push(["hlt"]);
  const registers = Array.from({ length: 6 }, () => [0, 4, 56, 60, 61, 64, -1, -4, 1000][pick(9)]);
  return { p: program(lines), registers };
}

Deno.test("random heap programs agree with the interpreter, compiled to WebAssembly", () => {
  const random = mulberry32(0x4ea9);
  let compiled = 0;
  for (let n = 0; n < 400; n++) {
    const { p, registers } = randomHeapProgram(random);
    const limits = { ...DEFAULT_LIMITS, heapLimit: 64 + Math.floor(random() * 8192) };
    const slices = [[1], [3, 7], [1000]][n % 3];
    compareTiers({ program: p, limits, slices, total: 2000, registers }, `random heap program ${n}`);
    const machine = createMachine(p, { ...limits, output: () => {}, compileAfter: 0 });
    registers.forEach((value, i) => machine.registers[i] = value);
    machine.run(2000);
    const backend = (machine.executor as CompilingExecutor).backend;
    assert(backend === "wasm" || backend === undefined, `random heap program ${n} compiled to ${backend}`);
    if (backend === "wasm") compiled++;
  }
  assert(compiled > 300, `only ${compiled} of 400 random heap programs compiled to WebAssembly`);
});

Deno.test("a heap grown past 64 KiB lives in a WebAssembly.Memory that grows in place and that compiled code runs on", () => {
  const p = program(FILL_AND_SUM);
  const s = stateFor(p);
  s.registers[0] = 300_000;
  interpret(s, 3); // the aloc of 1.2 MB
  const memory = s.heapMemory;
  assert(memory !== undefined && s.heap.buffer === memory.buffer, "the grown heap is not in a memory");
  const compiled = compileState(s)!;
  assertEquals(compiled.run(s, 1e7), HALTED);
  assertEquals(s.registers[5], 3 * (300_000 * 299_999) / 2 | 0);
  assert(s.heapMemory === memory && s.heap.buffer === memory.buffer, "the compiled code copied the heap");
  s.heapSize += 4_000_000;
  const grown = growHeap(s, s.heapSize);
  assert(s.heapMemory === memory && grown.buffer === memory.buffer, "growing did not happen in place");
  assertEquals(grown[4 * 299_999], (3 * 299_999) & 255); // the last word written, kept
});
