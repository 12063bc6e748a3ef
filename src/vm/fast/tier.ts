/**
 * Runs a machine state with compiled code (src/vm/fast/codegen.ts), handing to the reference interpreter
 * what the compiled code leaves to it. Same contract as interpret(): at most `budget` instructions, the
 * count in `s.executed`, a Stop as the result.
 */
import { INSTRUCTION_SIZE } from "../../isa/opcodes.ts";
import { interpret } from "../interpreter.ts";
import { Stop, type VmState } from "../state.ts";
import { compileCode, type CompiledCode, generateCode, HALTED } from "./codegen.ts";
import { primeCompiledCode } from "./priming.ts";

/**
 * Instructions per call of the compiled code, between two looks at the interrupt flags. The interpreter
 * looks every 4,096; the compiled code re-enters in about 0.1 µs, so 65,536 keeps that cost under 1% on
 * the W1 counting loop while a stop request still lands within about 0.1 ms.
 */
const FAST_SLICE = 65_536;

/**
 * Largest program compiled, in instructions. Bigger functions take V8 longer to optimize than most
 * programs run; the REPL's and the examples' programs are far smaller.
 */
export const MAX_COMPILED_INSTRUCTIONS = 16_384;

/**
 * Compiles the state's current program and primes its type feedback (src/vm/fast/priming.ts), or returns
 * undefined when the fast tier does not take it.
 */
export function compileState(s: VmState): CompiledCode | undefined {
  if (s.codeLength % INSTRUCTION_SIZE !== 0 || s.codeLength / INSTRUCTION_SIZE > MAX_COMPILED_INSTRUCTIONS) {
    return undefined;
  }
  const generated = generateCode(s.decoded, s.codeLength, s.rodata);
  const compiled = compileCode(generated);
  primeCompiledCode(compiled, s, generated.blocks.blocks);
  return compiled;
}

/** interpret() with `compiled` doing the work: same stops, counts, state and faults. */
export function runCompiled(s: VmState, budget: number, compiled: CompiledCode): Stop {
  const interruptFlag = s.interruptFlag;
  let executed = 0;
  let stop: Stop;
  for (;;) {
    if (s.interruptRequested || (interruptFlag !== undefined && Atomics.load(interruptFlag, 0) !== 0)) {
      stop = Stop.Interrupted;
      break;
    }
    const remaining = budget - executed;
    if (remaining <= 0) {
      stop = Stop.Budget;
      break;
    }
    const slice = Math.min(remaining, FAST_SLICE);
    const exit = compiled(s, slice);
    executed += s.executed;
    if (exit === HALTED) {
      stop = Stop.Halted;
      break;
    }
    // A hand-over; or, when not even the block at s.pc fits, the last few instructions of the budget.
    // (A stop on the budget after some progress just goes round: the next slice has room for the block,
    // or, at the end of the budget, runs nothing and lands here.)
    const handOver = exit > 0 ? exit : s.executed === 0 ? slice : 0;
    if (handOver > 0) {
      stop = interpret(s, handOver);
      executed += s.executed;
      if (stop !== Stop.Budget) break;
    }
  }
  s.executed = executed;
  return stop;
}
