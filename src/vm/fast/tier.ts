/**
 * Runs a machine state with compiled code (src/vm/fast/codegen.ts), handing to the reference interpreter
 * what the compiled code leaves to it. Same contract as interpret(): at most `budget` instructions, the
 * count in `s.executed`, a Stop as the result.
 */
import { INSTRUCTION_SIZE } from "../../isa/opcodes.ts";
import { interpret } from "../interpreter.ts";
import { Stop, type VmState } from "../state.ts";
import { type Block, type BlockMap, findBlocks } from "./_blocks.ts";
import { compileCode, type CompiledCode, generateCode, HALTED } from "./codegen.ts";
import { primeCompiledCode } from "./priming.ts";
import { compileWasm, DOES_NOT_FIT, wasmTakes } from "./wasm_codegen.ts";

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
 * A program of at most this many blocks is compiled whole. A larger one only has its hot blocks compiled
 * (those where samples of the interpreted run landed), and stays interpreted when more than this many are
 * hot: V8 optimizes a function of many hundreds of cases late or not at all, and until then it runs slower
 * than the interpreter: past a few hundred blocks, compiling whole costs more than it saves
 * (`deno bench -A bench/tiers_bench.ts` runs programs of many blocks on both tiers).
 */
export const MAX_ENTRY_BLOCKS = 128;

/**
 * Instructions the interpreter runs at a time when control has left the compiled blocks (code that is not
 * an entry): long enough that such code runs at about the interpreter's speed, short enough to come back
 * soon to a compiled loop. After each run it finishes the block it stopped in, so that it looks again at
 * a block start.
 */
const COLD_RUN = 256;

/**
 * Which code generator made the compiled code: WebAssembly (src/vm/fast/wasm_codegen.ts) where it takes
 * the program, else JavaScript (src/vm/fast/codegen.ts).
 */
export type Backend = "wasm" | "javascript";

/** Compiled code and what runCompiled() needs to know about its blocks. */
export interface CompiledProgram {
  readonly run: CompiledCode;
  readonly backend: Backend;
  /**
   * Per instruction index and the end sentinel: ENTRY at the start of a block with a `case`, BLOCK at
   * another block's start, else 0.
   */
  readonly starts: Uint8Array;
  /** Instructions from each instruction to the end of its block (src/vm/fast/_blocks.ts). */
  readonly toBlockEnd: Int32Array;
}

const BLOCK = 1, ENTRY = 2;

/**
 * Compiles the state's current program, or returns undefined when the fast tier does not take it.
 * `samples` are code addresses the program was seen at while interpreted; they choose what to compile of a
 * program of more than MAX_ENTRY_BLOCKS blocks. With `wasm` (the default) a program the WebAssembly back
 * end takes is compiled to WebAssembly, and to JavaScript only if a run needs it (a state that does not
 * fit the module); else to JavaScript, whose type feedback is then primed (src/vm/fast/priming.ts).
 */
export function compileState(
  s: VmState,
  samples: readonly number[] = [],
  wasm = true,
): CompiledProgram | undefined {
  const count = s.codeLength / INSTRUCTION_SIZE;
  if (s.codeLength % INSTRUCTION_SIZE !== 0 || count > MAX_COMPILED_INSTRUCTIONS) return undefined;
  const blockMap = findBlocks(s.decoded, count);
  const entries = blockMap.blocks.length <= MAX_ENTRY_BLOCKS ? blockMap.blocks : hotBlocks(blockMap, samples);
  if (entries.length === 0 || entries.length > MAX_ENTRY_BLOCKS) return undefined;
  const javascript = (state: VmState) => {
    const code = compileCode(generateCode(state.decoded, state.codeLength, state.rodata, blockMap, entries));
    primeCompiledCode(code, state, entries);
    return code;
  };
  const inWasm = wasm && wasmTakes() ? tryCompileWasm(s, blockMap, entries) : undefined;
  let run: CompiledCode;
  if (inWasm) {
    let fallback: CompiledCode | undefined;
    run = (state, budget) => {
      const exit = inWasm(state, budget);
      if (exit !== DOES_NOT_FIT) return exit;
      fallback ??= javascript(state);
      return fallback(state, budget);
    };
  } else run = javascript(s);
  const starts = new Uint8Array(count + 1);
  for (const block of blockMap.blocks) starts[block.start] = BLOCK;
  for (const block of entries) starts[block.start] = ENTRY;
  starts[count] = ENTRY;
  return { run, backend: inWasm ? "wasm" : "javascript", starts, toBlockEnd: blockMap.toBlockEnd };
}

/**
 * The WebAssembly code for the state's program, or undefined when V8 refuses it (a memory it cannot
 * reserve, say, with very many machines): the JavaScript back end then takes the program.
 */
function tryCompileWasm(s: VmState, blockMap: BlockMap, entries: readonly Block[]): CompiledCode | undefined {
  try {
    return compileWasm(s.decoded, s.codeLength, s.rodata, blockMap, entries);
  } catch (error) {
    if (error instanceof RangeError || error instanceof WebAssembly.CompileError) return undefined;
    throw error;
  }
}

/** The blocks holding the sampled code addresses, in code order. */
export function hotBlocks(blockMap: BlockMap, samples: readonly number[]): Block[] {
  const { blocks } = blockMap;
  const hot = new Set<Block>();
  for (const address of samples) {
    const index = address / INSTRUCTION_SIZE;
    if (!Number.isInteger(index) || index < 0 || index >= blockMap.count) continue;
    // The last block starting at or before `index` (blocks are in code order and cover the code).
    let low = 0, high = blocks.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (blocks[middle].start <= index) low = middle;
      else high = middle - 1;
    }
    hot.add(blocks[low]);
  }
  return [...hot].sort((a, b) => a.start - b.start);
}

/** interpret() with `compiled` doing the work: same stops, counts, state and faults. */
export function runCompiled(s: VmState, budget: number, compiled: CompiledProgram): Stop {
  const { run, starts, toBlockEnd } = compiled;
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
    const exit = run(s, slice);
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
      // Back to the compiled code only at an entry: finish a block stopped in the middle of, and run
      // COLD_RUN more where the compiled code has no case.
      while (stop === Stop.Budget && executed < budget && starts[s.pc >> 2] !== ENTRY) {
        const index = s.pc >> 2;
        stop = interpret(
          s,
          Math.min(budget - executed, starts[index] === BLOCK ? COLD_RUN : toBlockEnd[index]),
        );
        executed += s.executed;
      }
      if (stop !== Stop.Budget) break;
    }
  }
  s.executed = executed;
  return stop;
}
