/**
 * The fast tier's WebAssembly back end (src/vm/fast/wasm_codegen.ts): which programs it takes, and the
 * places where WebAssembly's semantics differ from the interpreter's JavaScript and the generated code
 * must make up the difference (a trapping division, a stack deeper than the module holds), the stack
 * checks it makes once per block instead of once per push and pop, and the patched constants of its
 * budget checks (src/vm/fast/wasm_encoding.ts). Everything
 * else is covered by the differential tests, which run every program on both back ends
 * (tests/vm/_tiers.ts).
 */
import { fibonacci } from "../../bench/programs/workloads.ts";
import type { Program } from "../../src/bytecode/program.ts";
import { CompilingExecutor } from "../../src/vm/fast/compiling_executor.ts";
import { createMachine, type Tier } from "../../src/vm/fast/select.ts";
import { compileState } from "../../src/vm/fast/tier.ts";
import { WASM_STACK_WORDS } from "../../src/vm/fast/wasm_codegen.ts";
import { FunctionBody, moduleBytes, W } from "../../src/vm/fast/wasm_encoding.ts";
import { loadProgram } from "../../src/vm/machine.ts";
import { VmState } from "../../src/vm/state.ts";
import { assertEquals } from "../assert.ts";
import { program } from "./_program.ts";
import { compareTiers, DEFAULT_LIMITS } from "./_tiers.ts";

/** The back end `p` was compiled with after a first run of `budget` instructions. */
function backendAfterRun(p: Program, tier: Tier, budget = 1000): string | undefined {
  const machine = createMachine(p, { ...DEFAULT_LIMITS, output: () => {}, tier, compileAfter: 0 });
  machine.run(budget);
  return (machine.executor as CompilingExecutor).backend;
}

Deno.test("programs are compiled to WebAssembly, heap programs too, unless the JavaScript tier is asked for", () => {
  assertEquals(backendAfterRun(fibonacci(10), "auto"), "wasm");
  assertEquals(backendAfterRun(fibonacci(10), "javascript"), "javascript");
  const heap = program([
    ["load", 0, 8],
    ["aloc", 0],
    ["load", 1, 0],
    "top:",
    ["setm", 1, 0],
    ["loadm", 1, 2],
    ["djmpe", "@top"],
    ["hlt"],
  ]);
  assertEquals(backendAfterRun(heap, "auto"), "wasm");
  assertEquals(backendAfterRun(heap, "javascript"), "javascript");
});

Deno.test("division at the int32 edge (-2147483648 / -1, which traps in WebAssembly) and by zero", () => {
  const divide = program(["top:", ["div", 0, 1, 2], ["inc", 3], ["djmpe", "@top"], ["hlt"]]);
  const pairs = [[-2147483648, -1], [-2147483648, 1], [2147483647, -1], [-7, 2], [7, -2], [-7, -2], [5, 0]];
  for (const [dividend, divisor] of pairs) {
    assertEquals(backendAfterRun(divide, "auto"), "wasm");
    for (const slices of [[1], [2, 5], [1000]]) {
      compareTiers(
        { program: divide, limits: DEFAULT_LIMITS, slices, total: 20, registers: [dividend, divisor] },
        `${dividend} / ${divisor}, slices ${slices}`,
      );
    }
  }
});

Deno.test("recursion deeper than the WebAssembly module's stack runs on, and agrees with the interpreter", () => {
  // sum(n) = n + sum(n - 1): two stack words per level, so 9,000 levels go past WASM_STACK_WORDS and past
  // the module's one page of memory. Twice: the second descent starts with the stack's backing store
  // grown far past what the module holds.
  const levels = 9000;
  const sum = program([
    ["load", 2, 0],
    ["load", 1, 0],
    ["load", 0, levels],
    ["call", "@down"],
    ["load", 0, levels],
    ["call", "@down"],
    ["hlt"],
    "down:",
    ["eq", 0, 2],
    ["djmpe", "@done"],
    ["push", 0],
    ["dec", 0],
    ["call", "@down"],
    ["pop", 0],
    ["add", 1, 0, 1],
    "done:",
    ["ret"],
  ]);
  assertEquals(2 * levels * 4 > 65_536 && WASM_STACK_WORDS < 2 * levels, true);
  const limits = { ...DEFAULT_LIMITS, stackLimit: 1 << 15 };
  for (const slices of [[1_000_000], [997], [65_536, 3]]) {
    compareTiers({ program: sum, limits, slices, total: 1_000_000 }, `sum(${levels}), slices ${slices}`);
  }
  const machine = createMachine(sum, { ...limits, output: () => {}, compileAfter: 0 });
  assertEquals(machine.run(1_000_000).status, "halted");
  assertEquals(machine.registers[1], levels * (levels + 1));
  assertEquals((machine.executor as CompilingExecutor).backend, "wasm");
});

Deno.test("pushes stop at WASM_STACK_WORDS, however large the stack's backing store already is", () => {
  const s = new VmState(() => {}, 1 << 16, 1 << 16, false, undefined);
  loadProgram(s, program(["top:", ["push", 0], ["eq", 0, 0], ["djmpe", "@top"]]), false);
  s.stack = new Int32Array(1 << 15); // grown by an earlier, deeper run
  const compiled = compileState(s)!;
  assertEquals(compiled.backend, "wasm");
  const exit = compiled.run(s, 65_536);
  // A hand-over of the push (and the rest of its block), with the stack exactly full as far as it goes.
  assertEquals([exit, s.pc, s.stackDepth, s.executed], [3, 0, WASM_STACK_WORDS, 3 * WASM_STACK_WORDS]);
});

Deno.test("one check at a block's top stands for its pops and pushes: an empty stack, a full one", () => {
  // `mix` pops one word and pushes two: it needs a word on the stack and room for one more past it. The
  // WebAssembly code checks both once, at the block's top, and hands the block over when either fails,
  // so the interpreter faults where it would have: on the pop, or on the second push.
  const mix = program([
    ["push", 0],
    ["push", 0],
    ["push", 0],
    "mix:",
    ["pop", 1],
    ["push", 1],
    ["push", 1],
    ["eq", 1, 1],
    ["djmpe", "@mix"], // round again: one word deeper each time, until the stack is full
  ]);
  for (const stackLimit of [3, 4, 5, 16, 17]) {
    for (const startPc of [0, 12]) { // from the top, or at `mix` with an empty stack
      for (const slices of [[1000], [1], [2, 7]]) {
        const limits = { ...DEFAULT_LIMITS, stackLimit };
        const scenario = { program: mix, limits, slices, total: 200, startPc };
        compareTiers(scenario, `stack limit ${stackLimit}, from ${startPc}, slices ${slices}`);
      }
    }
  }
  assertEquals(backendAfterRun(mix, "auto"), "wasm");
});

Deno.test("a module V8 refuses leaves the program to the JavaScript back end", () => {
  const original = WebAssembly.Module;
  // @ts-ignore: a stand-in that refuses every module, as V8 would one it cannot compile or reserve for
  WebAssembly.Module = function () {
    throw new RangeError("WebAssembly.Module(): Out of memory");
  };
  try {
    assertEquals(backendAfterRun(fibonacci(10), "auto", 100_000), "javascript");
    const machine = createMachine(fibonacci(10), { ...DEFAULT_LIMITS, output: () => {}, compileAfter: 0 });
    assertEquals(machine.run(1_000_000).status, "halted");
    assertEquals(machine.registers[1], 55);
  } finally {
    WebAssembly.Module = original;
  }
});

Deno.test("a patched five-byte i32.const reads back as the value written into it", () => {
  for (const value of [0, 1, 63, 64, 127, 128, 300, 8191, 1 << 20, (1 << 28) - 1, 1 << 28, 2 ** 31 - 1]) {
    const body = new FunctionBody();
    const at = body.i32Placeholder();
    body.op(W.End);
    body.patchI32(at, value);
    const bytes = moduleBytes({ params: 2, i32Locals: 0, f64Locals: 0 }, [body.bytes], 1);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    const run = instance.exports.run as () => number;
    assertEquals(run(), value, `value ${value}`);
  }
});
