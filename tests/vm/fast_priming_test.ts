/**
 * The fast tier's budget stops and the priming of compiled code (src/vm/fast/priming.ts): compiled code
 * stops before a block that does not fit its budget, runCompiled() then uses the budget exactly, and
 * priming runs the compiled code on a copy without touching the real state or printing anything.
 */
import { fibonacci } from "../../bench/programs/workloads.ts";
import type { Program } from "../../src/bytecode/program.ts";
import { compileCode, generateCode, HALTED } from "../../src/vm/fast/codegen.ts";
import { primeCompiledCode } from "../../src/vm/fast/priming.ts";
import { compileState, runCompiled } from "../../src/vm/fast/tier.ts";
import { interpret } from "../../src/vm/interpreter.ts";
import { loadProgram } from "../../src/vm/machine.ts";
import { predecodeCode } from "../../src/vm/predecode.ts";
import { Stop, VmState } from "../../src/vm/state.ts";
import { assert, assertEquals } from "../assert.ts";
import { program } from "./_program.ts";

/** A state holding `p`, as a Machine without superinstructions makes it. */
function stateFor(p: Program, output: (text: string) => void = () => {}): VmState {
  const s = new VmState(output, 1 << 16, 1 << 12, false, undefined);
  loadProgram(s, p, false);
  s.pc = p.entry;
  return s;
}

/** Everything observable of a state. */
function snapshot(s: VmState) {
  return {
    pc: s.pc,
    registers: [...s.registers],
    floats: [...s.floats],
    flag: s.equalFlag,
    remainder: s.remainder,
    loopCounter: s.loopCounter,
    heap: [...s.heap.subarray(0, s.heapSize)],
    heapSize: s.heapSize,
    stack: [...s.stack.subarray(0, s.stackDepth)],
    stackCapacity: s.stack.length,
  };
}

// Five instructions in one block (the entry), then a loop block of three.
const straight = program([
  ["load", 0, 1],
  ["load", 1, 2],
  ["add", 0, 1, 2],
  ["load", 3, 10],
  ["load", 4, 20],
  "top:",
  ["inc", 0],
  ["lt", 0, 3],
  ["djmpe", "@top"],
  ["hlt"],
]);

Deno.test("compiled code stops before a block longer than what is left of its budget", () => {
  const compiled = compileCode(
    generateCode(predecodeCode(straight.code), straight.code.length, straight.rodata),
  );
  const s = stateFor(straight);
  for (const budget of [0, 1, 4]) {
    assertEquals(compiled(s, budget), 0);
    assertEquals([s.executed, s.pc], [0, 0], `budget ${budget}`);
  }
  // The entry block (5) and two rounds of the loop (3 each) fit 12; the third round does not.
  assertEquals(compiled(s, 12), 0);
  assertEquals([s.executed, s.pc, s.registers[0]], [11, 20, 3]);
  assertEquals(compiled(s, 1000), HALTED);
  assertEquals([s.registers[0], s.pc], [10, 36]);
});

Deno.test("runCompiled uses every budget exactly, as the interpreter does, on fib(12)", () => {
  const p = fibonacci(12);
  const compiled = compileState(stateFor(p));
  assert(compiled);
  for (let budget = 1; budget <= 60; budget++) {
    const fast = stateFor(p), reference = stateFor(p);
    let fastStop: Stop, referenceStop: Stop;
    let fastTotal = 0, referenceTotal = 0;
    do {
      fastStop = runCompiled(fast, budget, compiled);
      fastTotal += fast.executed;
      referenceStop = interpret(reference, budget);
      referenceTotal += reference.executed;
      assertEquals(fastStop, referenceStop, `budget ${budget}`);
      assertEquals(fast.executed, reference.executed, `budget ${budget}`);
      assertEquals(snapshot(fast), snapshot(reference), `budget ${budget} at ${referenceTotal}`);
    } while (referenceStop === Stop.Budget);
    assertEquals(fastStop, Stop.Halted);
    assertEquals(fast.registers[1], 144);
    assertEquals(fastTotal, referenceTotal);
  }
});

Deno.test("priming leaves the state as it was and prints nothing", () => {
  const text = new TextEncoder().encode("hi\0");
  // Heap, stack, a call, output, a fault (division by zero) and an endless loop: every kind of block.
  const p = program([
    ["load", 0, 8],
    ["aloc", 0],
    ["load", 1, 4],
    ["load", 2, 77],
    ["setm", 1, 2],
    ["push", 2],
    ["call", "@sub"],
    ["pop", 4],
    ["prts", 0],
    ["load", 5, 0],
    ["div", 2, 5, 6],
    "spin:",
    ["inc", 7],
    ["djmpe", "@spin"],
    ["hlt"],
    "sub:",
    ["loadm", 1, 3],
    ["ret"],
  ], text);
  const printed: string[] = [];
  const s = stateFor(p, (line) => printed.push(line));
  // Mid-run state to copy: some registers, heap contents and a stack.
  interpret(s, 7);
  assertEquals(s.stackDepth, 2);
  const before = snapshot(s);
  const generated = generateCode(s.decoded, s.codeLength, s.rodata);
  const compiled = compileCode(generated);
  assert(generated.blocks.blocks.length >= 5);
  primeCompiledCode(compiled, s, generated.blocks.blocks);
  assertEquals(snapshot(s), before);
  assertEquals(printed, []);
  // compileState() primes too; its program then runs as the interpreter does.
  const compiledProgram = compileState(s);
  assert(compiledProgram);
  assertEquals(snapshot(s), before);
  assertEquals(printed, []);
  const reference = stateFor(p, () => {});
  interpret(reference, 7);
  assertEquals(runCompiled(s, 100, compiledProgram), Stop.Faulted);
  assertEquals(interpret(reference, 100), Stop.Faulted);
  assertEquals([s.faultKind, s.registers[3], s.registers[4]], [reference.faultKind, 77, 77]);
  assertEquals(snapshot(s), snapshot(reference));
  assertEquals(printed, ["hi"]);
});
