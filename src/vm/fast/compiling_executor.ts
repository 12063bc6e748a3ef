/**
 * The fast tier as a Machine's Executor: a program is interpreted until it has run `compileAfter`
 * instructions, then compiled (src/vm/fast/codegen.ts) and run compiled, so the REPL's one-line programs and
 * short scripts never pay for `new Function` and V8's optimizing compile. While interpreted, it runs in
 * short steps of varying length and notes where each step ended: those samples tell src/vm/fast/tier.ts
 * which blocks of a large program are hot.
 */
import { interpret } from "../interpreter.ts";
import type { Executor } from "../machine.ts";
import { Stop, type VmState } from "../state.ts";
import { type Backend, type CompiledProgram, compileState, runCompiled } from "./tier.ts";

/**
 * Instructions a program runs in the interpreter before it is compiled, by default: about what the
 * interpreter runs in the time `new Function` plus V8's first tier take.
 */
export const DEFAULT_COMPILE_AFTER = 20_000;

/**
 * Shortest interpreted step between two samples; steps are 48-79 instructions long, varied so that a loop
 * whose length divides the step is not always sampled at the same instruction. About 300 samples before
 * the default threshold; the extra interpret() calls cost about 0.01 ms per 20,000 instructions once V8
 * has optimized the interpreter.
 */
const SAMPLE_STEP = 48;

/** Samples kept at most; past them (a very high `compileAfter`) the rest is interpreted in one go. */
const MAX_SAMPLES = 4_096;

/** Interprets until the program has proved hot, then runs it compiled. One per Machine. */
export class CompilingExecutor implements Executor {
  /** The current program's compiled code; null when the fast tier does not take it. */
  #compiled: CompiledProgram | null | undefined;
  /** Instructions the interpreter has run of the current program. */
  #interpreted = 0;
  /** Code addresses where interpreted steps of the current program ended. */
  #samples: number[] = [];

  /** `compileAfter`: 0 compiles at the first run. `wasm`: false uses the JavaScript back end only. */
  constructor(readonly compileAfter = DEFAULT_COMPILE_AFTER, readonly wasm = true) {}

  /** True once the current program runs compiled (for tests and benchmarks). */
  get isCompiled(): boolean {
    return this.#compiled !== null && this.#compiled !== undefined;
  }

  /** The back end the current program was compiled with, if it was. */
  get backend(): Backend | undefined {
    return this.#compiled?.backend;
  }

  programChanged(): void {
    this.#compiled = undefined;
    this.#interpreted = 0;
    this.#samples = [];
  }

  execute(state: VmState, budget: number): Stop {
    if (this.#compiled === undefined && this.#interpreted >= this.compileAfter) {
      this.#compiled = compileState(state, this.#samples, this.wasm) ?? null;
      this.#samples = [];
    }
    if (this.#compiled) return runCompiled(state, budget, this.#compiled);
    if (this.#compiled === null) return interpret(state, budget);
    // Not hot yet: interpret up to the threshold, then compile and go on with the rest of the budget.
    const first = Math.min(budget, this.compileAfter - this.#interpreted);
    const stop = this.#interpretSampling(state, first);
    const executed = state.executed;
    this.#interpreted += executed;
    if (stop !== Stop.Budget || first === budget) return stop;
    const rest = this.execute(state, budget - executed);
    state.executed += executed;
    return rest;
  }

  /** interpret(state, budget) in short steps, noting the pc after each one. */
  #interpretSampling(state: VmState, budget: number): Stop {
    let executed = 0, stop: Stop;
    do { // at least once: a zero budget still reports an interrupt, as interpret() does
      const sampled = this.#samples.length;
      const step = sampled < MAX_SAMPLES ? SAMPLE_STEP + ((sampled * 37) & 31) : budget - executed;
      stop = interpret(state, Math.min(step, budget - executed));
      executed += state.executed;
      if (stop !== Stop.Budget) break;
      if (sampled < MAX_SAMPLES) this.#samples.push(state.pc);
    } while (executed < budget);
    state.executed = executed;
    return stop;
  }
}
