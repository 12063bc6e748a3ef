/**
 * Choosing the execution tier for a program. Both tiers run inside the one Machine class, so the CLI, the
 * REPL and the process pool need not know which one runs.
 */
import type { Program } from "../../bytecode/program.ts";
import { INSTRUCTION_SIZE } from "../../isa/opcodes.ts";
import { Machine, type MachineOptions } from "../machine.ts";
import { CompilingExecutor } from "./compiling_executor.ts";
import { MAX_COMPILED_INSTRUCTIONS } from "./tier.ts";

/**
 * Which tier: "auto" compiles hot programs the fast tier takes (to WebAssembly where it can, see
 * src/vm/fast/tier.ts); "javascript" the same with the JavaScript back end only (for comparisons);
 * "interpreter" never compiles.
 */
export type Tier = "auto" | "javascript" | "interpreter";

/** Machine options plus the tier choice. */
export interface CreateMachineOptions extends Omit<MachineOptions, "executor"> {
  /** Default "auto". */
  tier?: Tier;
  /** Instructions interpreted before compiling (see CompilingExecutor); 0 compiles at once. */
  compileAfter?: number;
}

/**
 * A machine for `program`, compiling hot code when the fast tier can take the program (code a whole
 * number of instructions, at most MAX_COMPILED_INSTRUCTIONS of them) and `tier` is not "interpreter";
 * else the reference interpreter runs it. A REPL session's program grows: its machine is created for the
 * empty program, so it takes the compiling executor, which falls back to interpreting when the program
 * outgrows the fast tier.
 */
export function createMachine(program: Program, options: CreateMachineOptions): Machine {
  const { tier, compileAfter, ...machineOptions } = options;
  const length = program.code.length;
  const compilable = length % INSTRUCTION_SIZE === 0 &&
    length / INSTRUCTION_SIZE <= MAX_COMPILED_INSTRUCTIONS;
  if (tier === "interpreter" || !compilable) return new Machine(program, machineOptions);
  return new Machine(program, {
    ...machineOptions,
    executor: new CompilingExecutor(compileAfter, tier !== "javascript"),
  });
}
