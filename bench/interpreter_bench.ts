/**
 * Interpreter throughput in guest instructions per second: `deno bench -A bench/interpreter_bench.ts`,
 * or `deno run bench/interpreter_bench.ts` to time each workload once, after one warm-up run, and print
 * `name: N instructions in T ms = X M instr/s`.
 */
import type { Program } from "../src/bytecode/program.ts";
import { Machine } from "../src/vm/machine.ts";
import { countingLoop, fibonacci } from "./programs/workloads.ts";

const WORKLOADS: readonly { name: string; program: Program }[] = [
  { name: "counting loop 10,000,000 (inc/lt/jmpe)", program: countingLoop(10_000_000) },
  { name: "recursive fib(25) (call/ret/push/pop)", program: fibonacci(25) },
];

/** Runs `program` to its hlt and returns the instruction count; throws if it does not halt. */
function runToHalt(program: Program): number {
  const machine = new Machine(program, {
    output: () => {},
    heapLimit: 1 << 20,
    stackLimit: 1 << 16,
    endOfCode: "fault",
  });
  const result = machine.run(Number.MAX_SAFE_INTEGER);
  if (result.status !== "halted") throw new Error(`expected halted, got ${result.status}`);
  return result.executed;
}

for (const { name, program } of WORKLOADS) {
  Deno.bench(name, () => {
    runToHalt(program);
  });
}

if (import.meta.main) {
  for (const { program } of WORKLOADS) runToHalt(program); // one warm-up run each: let the JIT settle
  for (const { name, program } of WORKLOADS) {
    const start = performance.now();
    const executed = runToHalt(program);
    const ms = performance.now() - start;
    const rate = executed / ms / 1000;
    console.log(`${name}: ${executed} instructions in ${ms.toFixed(0)} ms = ${rate.toFixed(0)} M instr/s`);
  }
}
