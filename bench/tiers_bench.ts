/**
 * The interpreter against the fast tier on W1 and W2 at smaller sizes, and on two large programs (one hot
 * loop among 3,000 cold blocks; 600 blocks all hot): `deno bench -A bench/tiers_bench.ts`. Each bench
 * builds a fresh machine, so the fast tier's compile (new Function and V8's warm-up) is included.
 */
import type { Program } from "../src/bytecode/program.ts";
import { createMachine, type Tier } from "../src/vm/fast/select.ts";
import { countingLoop, fibonacci, hotEverywhere, loopThenChain } from "./programs/workloads.ts";

/** Runs `program` on `tier` to its hlt; throws if it does not halt. */
function runToHalt(program: Program, tier: Tier): void {
  const machine = createMachine(program, {
    output: () => {},
    heapLimit: 1 << 20,
    stackLimit: 1 << 16,
    endOfCode: "fault",
    tier,
  });
  for (;;) {
    const result = machine.run(1_000_000);
    if (result.status === "halted") return;
    if (result.status !== "budget") throw new Error(`expected halted, got ${result.status}`);
  }
}

const WORKLOADS = [
  { name: "W1 counting loop 5,000,000", program: countingLoop(5_000_000) },
  { name: "W2 fib(24)", program: fibonacci(24) },
  { name: "a loop of 1,000,000 among 3,000 cold blocks", program: loopThenChain(1_000_000, 3_000) },
  { name: "600 hot blocks, 2,000,000 instructions", program: hotEverywhere(600, 500_000) },
];

for (const { name, program } of WORKLOADS) {
  for (const tier of ["interpreter", "javascript", "auto"] as const) {
    const label = { interpreter: "interpreter", javascript: "fast tier, JavaScript only", auto: "fast tier" };
    Deno.bench(`${name}, ${label[tier]}`, {
      group: name,
      baseline: tier === "interpreter",
    }, () => {
      runToHalt(program, tier);
    });
  }
}
