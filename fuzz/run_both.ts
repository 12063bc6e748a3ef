/**
 * Runs a program on the reference interpreter and on the fast tier (compiled at once) and checks that
 * neither throws, each ends the way run() promises, both agree on the result, state and output, and the
 * fast tier ran the program as WebAssembly (heap programs too) whenever it compiled it.
 */
import type { Program } from "../src/bytecode/program.ts";
import { Machine, type MachineOptions, type RunResult } from "../src/vm/machine.ts";
import { CompilingExecutor } from "../src/vm/fast/compiling_executor.ts";
import { createMachine } from "../src/vm/fast/select.ts";
import { check, show } from "./harness.ts";

/** Small limits, so that `aloc` and `push` loops reach them within the budget. */
const LIMITS = { heapLimit: 4096, stackLimit: 64 };
const STATUSES = ["halted", "faulted", "budget"];
const FAULT = /^fault: [a-z -]+ at 0x[0-9a-f]{4,} \(.+\)$/;

interface Outcome {
  result: RunResult;
  output: string;
  state: unknown;
}

function runOn(make: (options: MachineOptions) => Machine, budget: number, input: unknown): Outcome {
  let output = "";
  const options: MachineOptions = { ...LIMITS, output: (text) => output += text, endOfCode: "fault" };
  let machine: Machine;
  let result: RunResult;
  try {
    machine = make(options);
    result = machine.run(budget);
  } catch (error) {
    check(false, `run() threw ${(error as Error).stack ?? error}`, input);
  }
  check(STATUSES.includes(result.status), `run() ended "${result.status}"`, input);
  check(result.executed <= budget, `run() executed ${result.executed} of a budget of ${budget}`, input);
  if (result.status === "faulted") {
    check(FAULT.test(result.fault?.message ?? ""), `malformed fault ${show(result.fault)}`, input);
  }
  const { executor } = machine;
  if (executor instanceof CompilingExecutor && executor.isCompiled) {
    check(executor.backend === "wasm", `compiled to ${executor.backend}, not WebAssembly`, input);
  }
  return { result, output, state: machine.snapshot() };
}

/** Runs `program` for at most `budget` instructions on both tiers; throws a FuzzFailure on any mismatch. */
export function runOnBothTiers(program: Program, budget: number, input: unknown): RunResult {
  const reference = runOn((options) => new Machine(program, options), budget, input);
  const fast = runOn(
    (options) => createMachine(program, { ...options, compileAfter: 0 }),
    budget,
    input,
  );
  const same = show(reference) === show(fast);
  check(
    same,
    `the tiers disagree:\n    interpreter ${show(reference)}\n    fast tier   ${show(fast)}`,
    input,
  );
  return reference.result;
}
