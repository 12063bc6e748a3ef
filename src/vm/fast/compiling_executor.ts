/**
 * The fast tier as a Machine's Executor: a program is interpreted until it has run `compileAfter`
 * instructions, then compiled (src/vm/fast/codegen.ts) and run compiled, so the REPL's one-line programs and
 * short scripts never pay for `new Function` and V8's optimizing compile.
 */
import { interpret } from "../interpreter.ts";
import type { Executor } from "../machine.ts";
import { Stop, type VmState } from "../state.ts";
import type { CompiledCode } from "./codegen.ts";
import { compileState, runCompiled } from "./tier.ts";

/**
 * Instructions a program runs in the interpreter before it is compiled, by default: about what the
 * interpreter runs in the time `new Function` plus V8's first tier take.
 */
export const DEFAULT_COMPILE_AFTER = 20_000;

/** Interprets until the program has proved hot, then runs it compiled. One per Machine. */
export class CompilingExecutor implements Executor {
  /** The current program's compiled code; null when the fast tier does not take it. */
  #compiled: CompiledCode | null | undefined;
  /** Instructions the interpreter has run of the current program. */
  #interpreted = 0;

  /** `compileAfter`: 0 compiles at the first run. */
  constructor(readonly compileAfter = DEFAULT_COMPILE_AFTER) {}

  /** True once the current program runs compiled (for tests and benchmarks). */
  get isCompiled(): boolean {
    return typeof this.#compiled === "function";
  }

  programChanged(): void {
    this.#compiled = undefined;
    this.#interpreted = 0;
  }

  execute(state: VmState, budget: number): Stop {
    if (this.#compiled === undefined && this.#interpreted >= this.compileAfter) {
      this.#compiled = compileState(state) ?? null;
    }
    if (typeof this.#compiled === "function") return runCompiled(state, budget, this.#compiled);
    if (this.#compiled === null) return interpret(state, budget);
    // Not hot yet: interpret up to the threshold, then compile and go on with the rest of the budget.
    const first = Math.min(budget, this.compileAfter - this.#interpreted);
    const stop = interpret(state, first);
    const executed = state.executed;
    this.#interpreted += executed;
    if (stop !== Stop.Budget || first === budget) return stop;
    const rest = this.execute(state, budget - executed);
    state.executed += executed;
    return rest;
  }
}
