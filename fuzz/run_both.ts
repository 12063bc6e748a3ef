/**
 * Runs a program on the reference interpreter and on the fast tier (compiled at once, with each back end)
 * and checks that none throws, each ends the way run() promises, all agree on the result, state and
 * output, and a compiled program ran on the back end asked for (WebAssembly for heap programs too).
 */
import type { Program } from "../src/bytecode/program.ts";
import { Machine, type MachineOptions, type RunResult } from "../src/vm/machine.ts";
import { CompilingExecutor } from "../src/vm/fast/compiling_executor.ts";
import { createMachine } from "../src/vm/fast/select.ts";
import { NO_PROCESS } from "../src/vm/process_host.ts";
import { check, show } from "./harness.ts";

/** Small limits, so that `aloc` and `push` loops reach them within the budget. */
const LIMITS = { heapLimit: 4096, stackLimit: 64 };
const STATUSES = ["halted", "faulted", "budget", "waiting"];
const FAULT = /^fault: [a-z -]+ at 0x[0-9a-f]{4,} \(.+\)$/;

interface Outcome {
  result: RunResult;
  output: string;
  state: unknown;
}

function runOn(
  make: (options: MachineOptions) => Machine,
  budget: number,
  input: unknown,
  backend?: string,
): Outcome {
  let output = "";
  // A clock that stands still: `clock`, `sleep` and `recvt` then run alike on every tier.
  const process = { ...NO_PROCESS, startedAt: 0, now: () => 1_000 };
  const options: MachineOptions = {
    ...LIMITS,
    output: (text) => output += text,
    endOfCode: "fault",
    process,
  };
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
  if (backend !== undefined && executor instanceof CompilingExecutor && executor.isCompiled) {
    check(executor.backend === backend, `compiled to ${executor.backend}, not ${backend}`, input);
  }
  return { result, output, state: machine.snapshot() };
}

/**
 * Runs `program` for at most `budget` instructions on the interpreter and on the fast tier with each back
 * end (WebAssembly where it takes the program, and JavaScript); throws a FuzzFailure on any mismatch.
 */
export function runOnBothTiers(program: Program, budget: number, input: unknown): RunResult {
  const reference = runOn((options) => new Machine(program, options), budget, input);
  for (const tier of ["auto", "javascript"] as const) {
    const fast = runOn(
      (options) => createMachine(program, { ...options, compileAfter: 0, tier }),
      budget,
      input,
      tier === "auto" ? "wasm" : "javascript",
    );
    check(
      show(reference) === show(fast),
      `the tiers disagree:\n    interpreter ${show(reference)}\n    fast tier   ${show(fast)} (${tier})`,
      input,
    );
  }
  return reference.result;
}
