/**
 * The differential harness: one program on the plain interpreter (every instruction by itself: the
 * reference), the interpreter with superinstructions, the fast tier (WebAssembly where its back end takes
 * the program) and the fast tier with its JavaScript back end only, in slices.
 *
 * Mutation caught: the fast tier never compiling (CompilingExecutor.execute() or compileState() giving up on
 * every program) fails every comparison made with `compileAfter` 0, because the harness asserts that both
 * fast machines ran compiled code, the second one with the JavaScript back end.
 */
import type { Program } from "../../src/bytecode/program.ts";
import { CompilingExecutor } from "../../src/vm/fast/compiling_executor.ts";
import { createMachine } from "../../src/vm/fast/select.ts";
import { Machine, type MachineOptions } from "../../src/vm/machine.ts";
import { NO_PROCESS, type ProcessHost } from "../../src/vm/process_host.ts";
import { assert, assertEquals } from "../assert.ts";

/** A process whose clock stands still, so `clock`, `sleep` and `recvt` behave alike on every tier. */
export const FROZEN_PROCESS: ProcessHost = { ...NO_PROCESS, startedAt: 0, now: () => 1_000 };

export type Limits = Pick<MachineOptions, "heapLimit" | "stackLimit" | "endOfCode">;

export interface Scenario {
  program: Program;
  limits: Limits;
  /** Budgets of successive run() calls, cycled. */
  slices: number[];
  /** Total instructions before the comparison stops. */
  total: number;
  registers?: number[];
  startPc?: number;
  compileAfter?: number;
  /** False for a program the fast tier may decline (more entry blocks than it compiles). Default true. */
  mustCompile?: boolean;
}

/**
 * Runs `scenario` on the plain interpreter (no superinstructions: the reference), the interpreter with
 * superinstructions and both fast tiers, and asserts they agree after every slice and, when they compile at
 * once (`compileAfter` 0, the default), that both fast machines ran compiled code; returns the slice count.
 */
export function compareTiers(scenario: Scenario, name: string): number {
  const outputs = ["", "", "", ""];
  const make = (kind: 0 | 1 | 2 | 3) => {
    const options = {
      ...scenario.limits,
      output: (text: string) => void (outputs[kind] += text),
      process: FROZEN_PROCESS,
    };
    if (kind === 0) return new Machine(scenario.program, { ...options, superinstructions: false });
    if (kind === 1) return new Machine(scenario.program, options);
    const tier = kind === 2 ? "auto" : "javascript";
    return createMachine(scenario.program, { ...options, compileAfter: scenario.compileAfter ?? 0, tier });
  };
  const machines = [make(0), make(1), make(2), make(3)] as const;
  for (const machine of machines) {
    scenario.registers?.forEach((value, i) => machine.registers[i] = value);
    if (scenario.startPc !== undefined) machine.pc = scenario.startPc;
  }
  let total = 0, slices = 0;
  while (total < scenario.total) {
    const budget = scenario.slices[slices % scenario.slices.length];
    const results = machines.map((machine) => machine.run(budget));
    slices++;
    for (
      const [i, tier] of [[1, "superinstructions"], [2, "fast tier"], [3, "JavaScript fast tier"]] as const
    ) {
      const where = `${name}, slice ${slices} (budget ${budget}), ${tier}`;
      assertEquals(results[i], results[0], `${where}: results differ`);
      assertEquals(machines[i].snapshot(), machines[0].snapshot(), `${where}: states differ`);
      assertEquals(outputs[i], outputs[0], `${where}: outputs differ`);
    }
    if (results[0].status !== "budget") break;
    total += results[0].executed;
  }
  if ((scenario.compileAfter ?? 0) === 0 && scenario.mustCompile !== false) {
    for (const [i, backend] of [[2, undefined], [3, "javascript"]] as const) {
      const executor = machines[i].executor;
      assert(
        executor instanceof CompilingExecutor && executor.isCompiled,
        `${name}: the fast tier did not compile`,
      );
      if (backend) assertEquals(executor.backend, backend, `${name}: back end`);
    }
  }
  return slices;
}

export const DEFAULT_LIMITS: Limits = { heapLimit: 1 << 16, stackLimit: 1 << 12, endOfCode: "fault" };
