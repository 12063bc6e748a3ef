/**
 * Priming a compiled program's type feedback: before the compiled code runs for real, it runs once from
 * every block start on a scratch copy of the state, and the results are dropped.
 *
 * Why: V8 optimizes the generated function (Maglev, then TurboFan) from the type feedback its sites have
 * gathered so far, and a site that has never run becomes an "insufficient type feedback" deoptimization.
 * A slice that stops on the budget resumes at whatever block it stopped before, often one that until then
 * had only ever run inlined into another case, so the first such resumption threw the optimized code away.
 * On W2 (fib(32)) that happened while TurboFan was still compiling: Maglev's code was gone, and the program
 * ran unoptimized at about 17 ns per instruction for 10-25 ms (slice timeline of 65,536-instruction slices,
 * --trace-deopt). Primed, the same timeline shows no such phase.
 *
 * Running on a copy is safe because compiled code has no effects outside the state it is given: output,
 * heap growth and faults are all handed to the interpreter (see src/vm/fast/codegen.ts), and a hand-over
 * just ends the priming run.
 */
import { INSTRUCTION_SIZE } from "../../isa/opcodes.ts";
import { VmState } from "../state.ts";
import type { Block } from "./_blocks.ts";
import type { CompiledCode } from "./codegen.ts";

/** Instructions each priming run may execute: enough for a block and a few inlined successors. */
const PRIME_BUDGET = 64;

/** A heap up to this size is copied for priming; a larger one is not (its accesses then hand over). */
const MAX_COPIED_HEAP = 1 << 16;

/**
 * Runs `compiled` from each of `blocks` on a scratch copy of `s`; `s` itself is not touched. The cost is
 * in the number of blocks (the dispatch of unoptimized code is slower the more cases it has): about 1 ms
 * for 200 blocks, 200 ms for 2,000, after the function's first, compiling call, which the program would
 * pay anyway. src/vm/fast/tier.ts compiles at most MAX_ENTRY_BLOCKS.
 */
export function primeCompiledCode(compiled: CompiledCode, s: VmState, blocks: readonly Block[]): void {
  const scratch = new VmState(() => {}, s.heapLimit, s.stackLimit, s.pauseAtEnd, undefined);
  scratch.code = s.code;
  scratch.decoded = s.decoded;
  scratch.codeLength = s.codeLength;
  scratch.usesFloats = s.usesFloats;
  scratch.rodata = s.rodata;
  scratch.rodataView = s.rodataView;
  // One copy of the heap and of the stack, refilled before every run (a run may write anywhere in them).
  const heap = s.heapSize <= MAX_COPIED_HEAP ? s.heap.subarray(0, s.heapSize) : undefined;
  if (heap) {
    scratch.heap = new Uint8Array(heap.length);
    scratch.heapSize = heap.length;
  }
  const stack = s.stack.subarray(0, s.stackDepth);
  scratch.stack = new Int32Array(Math.min(s.stack.length, s.stackDepth + PRIME_BUDGET));
  for (const block of blocks) {
    scratch.registers.set(s.registers);
    scratch.floats.set(s.floats);
    scratch.equalFlag = s.equalFlag;
    scratch.remainder = s.remainder;
    scratch.loopCounter = s.loopCounter;
    if (heap) scratch.heap.set(heap);
    scratch.stack.set(stack);
    scratch.stackDepth = s.stackDepth;
    scratch.pc = block.start * INSTRUCTION_SIZE;
    compiled(scratch, PRIME_BUDGET);
  }
}
