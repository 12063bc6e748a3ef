import { assertEquals } from "../assert.ts";
import { countingLoop, fibonacci } from "../../bench/programs/workloads.ts";
import { createMachine } from "./_program.ts";

Deno.test("the benchmark's counting loop counts to n in 3 instructions per iteration", () => {
  const { machine } = createMachine(countingLoop(100_000));
  assertEquals(machine.run(1_000_000), { status: "halted", executed: 300_005 });
  assertEquals(machine.registers[0], 100_000);
});

Deno.test("the benchmark's recursive fibonacci computes fib(20) with an empty stack at the end", () => {
  const { machine } = createMachine(fibonacci(20));
  assertEquals(machine.run(10_000_000).status, "halted");
  assertEquals([machine.registers[1], machine.stackDepth], [6765, 0]);
});
