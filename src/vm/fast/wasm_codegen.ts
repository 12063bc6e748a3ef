/**
 * The fast tier's WebAssembly back end: the same blocks, cases, inlining, counted loops and hand-overs as
 * the JavaScript generator (src/vm/fast/codegen.ts, whose comments explain them), written as one
 * WebAssembly function instead of JavaScript source.
 *
 * Why a second back end: V8 runs a WebAssembly function at once in its baseline compiler (Liftoff) and
 * swaps in its optimizing compiler's code at the next call, within milliseconds, with no type feedback to
 * gather and nothing to deoptimize. The JavaScript function needs tens of milliseconds of warm-up
 * (interpreted, then Maglev while TurboFan compiles) before it runs at full speed, which is most of a
 * short program's time (W2, fib(32): see bench/RESULTS.md).
 *
 * Registers, floats, flags and the stack live in the module's linear memory between calls; a wrapper
 * copies them in from the VmState and back out around each call (a call whose stack is deeper than
 * WASM_STACK_WORDS goes to the JavaScript back end). The VM heap is not copied: it lives in the same
 * memory from HEAP on, and the VmState's `heap` is a view of it (src/vm/fast/wasm_heap.ts): a heap
 * program's module is instantiated on its machine's memory, so `loadm` and `setm` are one bounds check
 * and one 32-bit access, and the interpreter reads and writes the same bytes when it takes over.
 *
 * Checks are made once for a stretch of code rather than per instruction: one budget check at the top of
 * a block covers the blocks inlined from it, and one stack check at the top of a block covers its pushes
 * and pops (and what the blocks inlined from it know from there), which keeps W2 (fib(32)) about 15%
 * faster than a check per instruction (`deno task bench:peers`).
 */
import { INSTRUCTION_SIZE } from "../../isa/opcodes.ts";
import { OP_VALUES as Op } from "../interpreter.ts";
import { HEAP_IN_MEMORY as HEAP, type VmState } from "../state.ts";
import { type Block, type BlockMap, isHandedOver } from "./_blocks.ts";
import { type CompiledCode, HALTED } from "./codegen.ts";
import { type CountedLoop, findCountedLoop } from "./counted_loop.ts";
import { BlockGenerator, INLINE_SIZE, leavesUnconditionally } from "./generator_base.ts";
import { FunctionBody, moduleBytes, W } from "./wasm_encoding.ts";
import { heapMemoryOf } from "./wasm_heap.ts";

const SIZE = INSTRUCTION_SIZE;

/**
 * Iterations a counted loop's body runs per round of the unrolled loop, and the largest body unrolled:
 * V8 folds the four steps of W1's `inc` into one add and takes its loop's interrupt check once per four
 * iterations, which makes W1 about three times faster than rolled.
 */
const UNROLL = 4, MAX_UNROLLED_BODY = 16;

/** Stack words a call may start with or grow to; deeper stacks run in the JavaScript back end. */
export const WASM_STACK_WORDS = 4096;

/**
 * Returned by WebAssembly-compiled code, without running anything, when the state does not fit the
 * module: a stack deeper than WASM_STACK_WORDS, or a heap the memory cannot grow to hold.
 */
export const DOES_NOT_FIT = -2;

// Linear memory: 32 registers, 32 floats, the scalar state, then the stack (one 64 KiB page for 4,096
// words), then from HEAP on the VM heap.
const REGISTERS = 0, FLOATS = 128, SLOTS = 384, STACK = 512;
const PAGES = Math.ceil((STACK + 4 * WASM_STACK_WORDS) / 65_536);
const PC = SLOTS, FLAG = SLOTS + 4, REMAINDER = SLOTS + 8, LOOP_COUNTER = SLOTS + 12, DEPTH = SLOTS + 16;
const EXECUTED = SLOTS + 20, HEAP_END = SLOTS + 24;

// Locals: the two parameters, the scratch and state locals, then r0-r31 and f0-f31. HEND is the heap
// size minus 4: an address `t` is in range for a 32-bit access when `t <= HEND`, unsigned.
const BUDGET = 0, CAP = 1, PCL = 2, LEFT = 3, EXIT = 4, BACK = 5, T = 6, U = 7, Q = 8, FLAGL = 9;
const REM = 10, LC = 11, SP = 12, FROM = 13, LIMIT = 14, HEND = 15, R0 = 16, F0 = R0 + 32;

/** True when the WebAssembly back end takes the program: whenever the host has WebAssembly. */
export function wasmTakes(): boolean {
  return typeof WebAssembly === "object";
}

/** True when the code reads or writes the heap (`loadm`, `setm`). */
function touchesHeap(code: Int32Array, count: number): boolean {
  for (let i = 0; i < count; i++) {
    const op = code[i * SIZE];
    if (op === Op.Loadm || op === Op.Setm) return true;
  }
  return false;
}

/**
 * The WebAssembly module for `code` (pre-decoded, `codeLength` bytes), with a `case` for each of
 * `entries`, as bytes (for tests; compileWasm() instantiates it).
 */
export function generateWasm(
  code: Int32Array,
  codeLength: number,
  rodata: Uint8Array,
  blockMap: BlockMap,
  entries: readonly Block[],
): Uint8Array<ArrayBuffer> {
  return new WasmGenerator(code, codeLength, rodata, blockMap, entries).module();
}

/**
 * CompiledCode running the WebAssembly module for the program: same contract as the JavaScript back end's,
 * plus DOES_NOT_FIT (nothing has run then).
 */
export function compileWasm(
  code: Int32Array,
  codeLength: number,
  rodata: Uint8Array,
  blockMap: BlockMap,
  entries: readonly Block[],
): CompiledCode {
  const bytes = generateWasm(code, codeLength, rodata, blockMap, entries);
  const module = new WebAssembly.Module(bytes);
  // A program that leaves the heap alone runs in a memory of its own; a heap program in its machine's.
  const own = touchesHeap(code, codeLength / SIZE) ? undefined : new WebAssembly.Memory({ initial: PAGES });
  const instances = new WeakMap<WebAssembly.Memory, Instance>();
  const instanceFor = (memory: WebAssembly.Memory): Instance => {
    let instance = instances.get(memory);
    if (instance === undefined) {
      const { exports } = new WebAssembly.Instance(module, { env: { memory } });
      instance = { run: exports.run as Instance["run"], views: viewsOf(memory) };
      instances.set(memory, instance);
    } else if (instance.views.words.buffer !== memory.buffer) instance.views = viewsOf(memory); // grown
    return instance;
  };
  if (own) instanceFor(own); // instantiated now, so that a failure shows in compileState
  return (s: VmState, budget: number): number => {
    const depth = s.stackDepth;
    if (depth > WASM_STACK_WORDS) return DOES_NOT_FIT;
    const memory = own ?? heapMemoryOf(s);
    if (memory === undefined) return DOES_NOT_FIT;
    const { run, views: { words, doubles, registers } } = instanceFor(memory);
    words[HEAP_END / 4] = s.heapSize - 4;
    registers.set(s.registers);
    doubles.set(s.floats);
    words[PC / 4] = s.pc;
    words[FLAG / 4] = s.equalFlag ? 1 : 0;
    words[REMAINDER / 4] = s.remainder;
    words[LOOP_COUNTER / 4] = s.loopCounter;
    words[DEPTH / 4] = depth;
    words.set(s.stack.subarray(0, depth), STACK / 4);
    const exit = run(budget, Math.min(s.stack.length, WASM_STACK_WORDS));
    s.registers.set(registers);
    s.floats.set(doubles);
    s.pc = words[PC / 4];
    s.equalFlag = words[FLAG / 4] !== 0;
    s.remainder = words[REMAINDER / 4];
    s.loopCounter = words[LOOP_COUNTER / 4];
    const after = words[DEPTH / 4];
    s.stack.set(words.subarray(STACK / 4, STACK / 4 + after));
    s.stackDepth = after;
    s.executed = words[EXECUTED / 4];
    return exit;
  };
}

/** A module instantiated on one memory, with views of that memory's first page. */
interface Instance {
  readonly run: (budget: number, cap: number) => number;
  views: Views;
}

interface Views {
  readonly words: Int32Array;
  readonly doubles: Float64Array;
  readonly registers: Int32Array;
}

/** Views of the registers, floats and scalar slots; growing the memory detaches them. */
function viewsOf(memory: WebAssembly.Memory): Views {
  const words = new Int32Array(memory.buffer, 0, PAGES * 65_536 / 4);
  const doubles = new Float64Array(memory.buffer, FLOATS, 32);
  return { words, doubles, registers: words.subarray(REGISTERS / 4, REGISTERS / 4 + 32) };
}

/**
 * Where the generator is (as in src/vm/fast/codegen.ts), and what is known there of the budget and the
 * stack, so that one check at the top of a block stands for the checks of the instructions after it.
 */
interface Context {
  readonly caseStart: number;
  readonly depth: number;
  inlineLeft: number;
  readonly returns: readonly number[];
  /** True inside a block whose budget check covered the blocks inlined from it (see #block). */
  budgetCovered: boolean;
  /** Instructions on the longest path through the blocks inlined from this point on. */
  inlinedPath: number;
  /** Words known to be on the stack, and known to be free below `cap`, at this point of the code. */
  stackWords: number;
  stackRoom: number;
}

/** Label names: the function's exit, the dispatch loop, its default, a case's block and a case's loop. */
const OUT = "out", DISPATCH = "dispatch", DEFAULT = "default";
const caseLabel = (index: number) => `case ${index}`;
const loopLabel = (index: number) => `loop ${index}`;

const INTEGER_COMPARES = new Map<number, W>([
  [Op.Eq, W.I32Eq],
  [Op.Neq, W.I32Ne],
  [Op.Gte, W.I32GeS],
  [Op.Lte, W.I32LeS],
  [Op.Lt, W.I32LtS],
  [Op.Gt, W.I32GtS],
]);
const FLOAT_COMPARES = new Map<number, W>([
  [Op.Eqf64, W.F64Eq],
  [Op.Neqf64, W.F64Ne],
  [Op.Gtf64, W.F64Gt],
  [Op.Gtef64, W.F64Ge],
  [Op.Ltf64, W.F64Lt],
  [Op.Ltef64, W.F64Le],
]);
const INTEGER_BINARY = new Map<number, W>([
  [Op.Add, W.I32Add],
  [Op.Sub, W.I32Sub],
  [Op.Mul, W.I32Mul],
  [Op.And, W.I32And],
  [Op.Or, W.I32Or],
  [Op.Xor, W.I32Xor],
]);
const FLOAT_BINARY = new Map<number, W>([
  [Op.Addf64, W.F64Add],
  [Op.Subf64, W.F64Sub],
  [Op.Mulf64, W.F64Mul],
  [Op.Divf64, W.F64Div],
]);

class WasmGenerator extends BlockGenerator {
  readonly #b = new FunctionBody();
  readonly #usedR = new Set<number>();
  readonly #usedF = new Set<number>();

  module(): Uint8Array<ArrayBuffer> {
    const body = this.#dispatch(); // first: it finds which registers are used
    const prologue = new FunctionBody(), epilogue = new FunctionBody();
    for (const i of this.#usedR) prologue.i32(0).memory(W.I32Load, 2, REGISTERS + 4 * i).set(R0 + i);
    for (const i of this.#usedF) prologue.i32(0).memory(W.F64Load, 3, FLOATS + 8 * i).set(F0 + i);
    for (const [local, at] of this.#scalars()) prologue.i32(0).memory(W.I32Load, 2, at).set(local);
    prologue.i32(0).memory(W.I32Load, 2, HEAP_END).set(HEND);
    prologue.get(BUDGET).set(LEFT);
    for (const i of this.#usedR) epilogue.i32(0).get(R0 + i).memory(W.I32Store, 2, REGISTERS + 4 * i);
    for (const i of this.#usedF) epilogue.i32(0).get(F0 + i).memory(W.F64Store, 3, FLOATS + 8 * i);
    for (const [local, at] of this.#scalars()) epilogue.i32(0).get(local).memory(W.I32Store, 2, at);
    epilogue.i32(0).get(BUDGET).get(LEFT).op(W.I32Sub).get(BACK).op(W.I32Sub).memory(W.I32Store, 2, EXECUTED);
    epilogue.get(EXIT).op(W.End);
    const shape = { params: 2, i32Locals: R0 - 2 + 32, f64Locals: 32 };
    return moduleBytes(shape, [prologue.bytes, body, epilogue.bytes], PAGES);
  }

  #scalars(): [number, number][] {
    return [[PCL, PC], [FLAGL, FLAG], [REM, REMAINDER], [LC, LOOP_COUNTER], [SP, DEPTH]];
  }

  /** The dispatch loop: nested blocks, innermost the first case, entered through a `br_table` on pc. */
  #dispatch(): number[] {
    const b = this.#b, count = this.blockMap.count;
    const cases = [...this.entries].sort((x, y) => x.start - y.start);
    b.open(W.Block, OUT).open(W.Loop, DISPATCH).open(W.Block, DEFAULT).open(W.Block, caseLabel(count));
    for (let i = cases.length - 1; i >= 0; i--) b.open(W.Block, caseLabel(cases[i].start));
    const targets = new Array<string>(count + 1).fill(DEFAULT);
    for (const start of this.entryStarts) targets[start] = caseLabel(start);
    b.get(PCL).i32(2).op(W.I32ShrS).brTable(targets, DEFAULT);
    for (const block of cases) {
      b.end();
      this.#case(block);
    }
    b.end().i32(count * SIZE).set(PCL);
    this.#exitOnBudget();
    b.end();
    this.#exitOnBudget();
    b.end().end();
    return b.bytes;
  }

  /** exit = left < 1 ? 0 : 1, and out. */
  #exitOnBudget(): void {
    this.#b.get(LEFT).i32(0).op(W.I32GtS).set(EXIT).br(OUT);
  }

  #r(index: number): number {
    this.#usedR.add(index);
    return R0 + index;
  }

  #f(index: number): number {
    this.#usedF.add(index);
    return F0 + index;
  }

  /** One block as a case: its code inside a loop that a jump back to the block continues. */
  #case(block: Block): void {
    const b = this.#b;
    if (block.end - block.start === 1 && isHandedOver(this.code[block.start * SIZE])) {
      b.i32(block.start * SIZE).set(PCL);
      this.#exitOnBudget();
      return;
    }
    const context: Context = {
      caseStart: block.start,
      depth: 0,
      inlineLeft: INLINE_SIZE,
      returns: [],
      budgetCovered: false,
      inlinedPath: 0,
      stackWords: 0,
      stackRoom: 0,
    };
    b.open(W.Loop, loopLabel(block.start));
    const counted = findCountedLoop(this.code, block);
    if (counted) this.#countedLoop(block, counted, context);
    else this.#block(block, context);
    b.end(); // falling out of the loop falls into the next case
  }

  /**
   * If the budget has no room for `n` instructions: pc on `start`, exit 0, out. Without `n`, the count is
   * left for patchI32() at the returned position.
   */
  #budgetCheck(start: number, n?: number): number {
    const b = this.#b.get(LEFT);
    let at = -1;
    if (n === undefined) at = b.i32Placeholder();
    else b.i32(n);
    b.op(W.I32LtS).open(W.If, "if").i32(start * SIZE).set(PCL).i32(0).set(EXIT).br(OUT).end();
    return at;
  }

  /**
   * A block, and the blocks inlined from it. One budget check at the top covers them all: it asks for
   * the instructions of the longest path through them (each block still counts its own), so that an
   * inlined block costs no compare and branch of its own. Stopping there, a few instructions earlier
   * than the budget would allow, is what a stop at any block start is: the next slice goes on from there,
   * and the end of a budget too short for the path is the interpreter's (runCompiled in tier.ts).
   */
  #block(block: Block, context: Context): void {
    const n = block.end - block.start, top = !context.budgetCovered;
    const at = top ? this.#budgetCheck(block.start) : -1;
    this.#b.get(LEFT).i32(n).op(W.I32Sub).set(LEFT);
    this.#stackCheck(block, context);
    context.budgetCovered = true;
    for (let i = block.start; i < block.end; i++) this.#instruction(i, block, context);
    if (!leavesUnconditionally(this.code[(block.end - 1) * SIZE])) {
      this.#goTo(block.end * SIZE, context, true);
    }
    if (top) {
      this.#b.patchI32(at, n + context.inlinedPath);
      context.budgetCovered = false;
    }
  }

  /**
   * Hands the block over (to grow the stack, or to fault) unless the stack holds as many words as its pops
   * take and has room below `cap` for its pushes, where that is not known already: one check at the top
   * instead of one per push and pop. (Only push, pop, call and ret move the stack, and a block has no
   * jump but at its end, so the block's instructions run in order.)
   */
  #stackCheck(block: Block, context: Context): void {
    let words = 0, fewest = 0, most = 0;
    for (let i = block.start; i < block.end; i++) {
      const op = this.code[i * SIZE];
      if (op === Op.Push || op === Op.Call) most = Math.max(most, ++words);
      else if (op === Op.Pop || op === Op.Ret) fewest = Math.min(fewest, --words);
    }
    const needWords = -fewest > context.stackWords, needRoom = most > context.stackRoom;
    if (!needWords && !needRoom) return;
    const b = this.#b;
    if (needWords) b.get(SP).i32(-fewest).op(W.I32LtS);
    if (needRoom) b.get(SP).get(CAP).i32(most).op(W.I32Sub, W.I32GtS);
    if (needWords && needRoom) b.op(W.I32Or);
    this.#handOverIf(block.start, block);
    context.stackWords = Math.max(context.stackWords, -fewest);
    context.stackRoom = Math.max(context.stackRoom, most);
  }

  /** A counted loop (src/vm/fast/counted_loop.ts), as #countedLoopCode in src/vm/fast/codegen.ts. */
  #countedLoop(block: Block, loop: CountedLoop, context: Context): void {
    const b = this.#b, n = block.end - block.start, own = block.start * SIZE;
    const v = this.#r(loop.register), bound = this.#r(loop.bound);
    const up = loop.step === 1;
    this.#budgetCheck(block.start, n);
    // u = the far end of the walk: the last value the condition accepts, plus one step.
    b.get(bound);
    if (loop.relation === "<=") b.i32(1).op(W.I32Add);
    if (loop.relation === ">=") b.i32(1).op(W.I32Sub);
    b.set(U);
    // The guards, all evaluated (none can trap). `u` wraps where the JavaScript code tests the bound
    // against the int32 edge: `<=` the largest int32 makes `u` the smallest, and `>=` the other way round,
    // so `v < u` (`v > u`) is false there by itself.
    b.get(v).get(U).op(up ? W.I32LtS : W.I32GtS);
    if (loop.targetRegister !== undefined) b.get(this.#r(loop.targetRegister)).i32(own).op(W.I32Eq, W.I32And);
    b.open(W.If, "if");
    // limit = from +/- min(distance to u (unsigned: up to 2^32 - 1), iterations the budget allows), at
    // least 1 (the guards, and the budget check above), at most 65,536.
    b.get(v).set(FROM);
    if (up) b.get(U).get(FROM);
    else b.get(FROM).get(U);
    b.op(W.I32Sub).set(T).get(LEFT).i32(n).op(W.I32DivU).set(Q);
    b.get(FROM).get(T).get(Q).get(T).get(Q).op(W.I32LtU, W.Select, up ? W.I32Add : W.I32Sub).set(LIMIT);
    const body = () => {
      for (let i = block.start; i < block.end - 1; i++) {
        if (i !== loop.compareAt) this.#instruction(i, block, context);
      }
    };
    const remaining = () => {
      if (up) b.get(LIMIT).get(v);
      else b.get(v).get(LIMIT);
      b.op(W.I32Sub);
    };
    if (n - 2 <= MAX_UNROLLED_BODY) {
      // Rounds of UNROLL iterations while that many remain, then one at a time up to the limit.
      b.open(W.Block, "rounds done").open(W.Loop, "rounds");
      remaining();
      b.i32(UNROLL).op(W.I32LtS).brIf("rounds done");
      for (let k = 0; k < UNROLL; k++) body();
      b.br("rounds").end().end();
    }
    b.open(W.Block, "counted done").open(W.Loop, "counted");
    b.get(v).get(LIMIT).op(W.I32Eq).brIf("counted done");
    body();
    b.br("counted").end().end();
    b.get(LEFT).i32(n);
    if (up) b.get(v).get(FROM);
    else b.get(FROM).get(v);
    b.op(W.I32Sub, W.I32Mul, W.I32Sub).set(LEFT);
    this.#instruction(loop.compareAt, block, context);
    b.get(FLAGL).brIf(loopLabel(block.start));
    b.else();
    b.get(LEFT).i32(n).op(W.I32Sub).set(LEFT);
    for (let i = block.start; i < block.end; i++) this.#instruction(i, block, context);
    b.end();
    this.#goTo(block.end * SIZE, context, true);
  }

  /** Hands instruction `i` of `block` (and the rest of the block) to the interpreter. */
  #handOver(i: number, block: Block): void {
    const rest = block.end - i;
    this.#b.i32(i * SIZE).set(PCL).i32(rest).set(BACK).i32(rest).set(EXIT).br(OUT);
  }

  /** Hands over when the i32 on the stack is not zero. */
  #handOverIf(i: number, block: Block): void {
    this.#b.open(W.If, "if");
    this.#handOver(i, block);
    this.#b.end();
  }

  /** Control to the static address `target` (see #goTo in src/vm/fast/codegen.ts). */
  #goTo(target: number, context: Context, fallThrough = false, returns = context.returns): void {
    const b = this.#b, index = target / SIZE;
    if (index === context.caseStart) {
      b.br(loopLabel(context.caseStart));
      return;
    }
    const block = this.inlinedBlock(index, context);
    if (block) {
      const inner: Context = { ...context, depth: context.depth + 1, returns, inlinedPath: 0 };
      this.#block(block, inner);
      context.inlineLeft = inner.inlineLeft;
      context.inlinedPath = Math.max(context.inlinedPath, block.end - block.start + inner.inlinedPath);
      return;
    }
    if (fallThrough && context.depth === 0 && this.entryStarts.has(index)) return; // the next case
    b.i32(target).set(PCL).br(DISPATCH);
  }

  /** A jump to the address in `t`, checked as the interpreter checks it; speculates on the case's own loop. */
  #jumpDynamic(i: number, block: Block, context: Context, reg?: number): void {
    const b = this.#b, own = context.caseStart * SIZE;
    if (reg !== undefined && this.loadedInto(reg).has(own)) {
      b.get(T).i32(own).op(W.I32Eq).brIf(loopLabel(context.caseStart));
    }
    this.#jumpToT(i, block);
  }

  /**
   * pc = t and round the dispatch loop when t is a code address (checked as the interpreter checks it),
   * after `then` (ret's pop, which must not happen before a hand-over); else a hand-over.
   */
  #jumpToT(i: number, block: Block, then = () => {}): void {
    this.#b.get(T).i32(this.codeLength).op(W.I32GtU).get(T).i32(3).op(W.I32And, W.I32Or);
    this.#handOverIf(i, block);
    then();
    this.#b.get(T).set(PCL).br(DISPATCH);
  }

  /**
   * Pushes what `value` leaves on the operand stack; a full backing store hands instruction `i` over
   * unless the context knows there is room.
   */
  #push(i: number, block: Block, context: Context, value: () => void): void {
    if (context.stackRoom < 1) {
      // Full: to grow, at the limit, or at WASM_STACK_WORDS; the interpreter's business.
      this.#b.get(SP).get(CAP).op(W.I32Eq);
      this.#handOverIf(i, block);
    }
    this.#slot(0);
    value();
    this.#b.memory(W.I32Store, 2, STACK).get(SP).i32(1).op(W.I32Add).set(SP);
    this.#moved(context, 1);
  }

  /** The context's knowledge of the stack after it moved by `words`. */
  #moved(context: Context, words: number): void {
    context.stackWords = Math.max(0, context.stackWords + words);
    context.stackRoom = Math.max(0, context.stackRoom - words);
  }

  /** Hands instruction `i` over when the stack is empty, unless the context knows it is not. */
  #emptyCheck(i: number, block: Block, context: Context): void {
    if (context.stackWords >= 1) return;
    this.#b.get(SP).op(W.I32Eqz);
    this.#handOverIf(i, block);
  }

  /** The stack slot at `sp` + `offset` words, as an address: `(sp + offset) * 4`. */
  #slot(offset: number): void {
    this.#b.get(SP);
    if (offset !== 0) this.#b.i32(offset).op(W.I32Add);
    this.#b.i32(2).op(W.I32Shl);
  }

  #instruction(i: number, block: Block, context: Context): void {
    const b = this.#b, pc = i * SIZE, code = this.code;
    const op = code[pc], a = code[pc + 1], c = code[pc + 3];
    const bb = code[pc + 2];
    const r = (x: number) => this.#r(x), f = (x: number) => this.#f(x);
    const integer = INTEGER_BINARY.get(op), float = FLOAT_BINARY.get(op);
    if (integer !== undefined) return void b.get(r(a)).get(r(bb)).op(integer).set(r(c));
    if (float !== undefined) return void b.get(f(a)).get(f(bb)).op(float).set(f(c));
    const compare = INTEGER_COMPARES.get(op), floatCompare = FLOAT_COMPARES.get(op);
    if (compare !== undefined) return void b.get(r(a)).get(r(bb)).op(compare).set(FLAGL);
    if (floatCompare !== undefined) return void b.get(f(a)).get(f(bb)).op(floatCompare).set(FLAGL);
    switch (op) {
      case Op.Load:
        return void b.i32(bb).set(r(a));
      case Op.Div:
        b.get(r(bb)).op(W.I32Eqz);
        this.#handOverIf(i, block);
        // q = t / u truncated, as the interpreter's (t / u) | 0: MIN / -1 is MIN (div_s would trap).
        b.get(r(a)).set(T).get(r(bb)).set(U);
        b.get(U).i32(-1).op(W.I32Eq).ifI32("if").i32(0).get(T).op(W.I32Sub);
        b.else().get(T).get(U).op(W.I32DivS).end().set(Q);
        b.get(T).get(Q).get(U).op(W.I32Mul, W.I32Sub).set(REM).get(Q).set(r(c));
        return;
      case Op.Hlt:
        return void b.i32(pc + SIZE).set(PCL).i32(HALTED).set(EXIT).br(OUT);
      case Op.Jmp:
        b.get(r(a)).set(T);
        return this.#jumpDynamic(i, block, context, a);
      case Op.Jmpf:
      case Op.Jmpb:
        b.i32(pc + SIZE).get(r(a)).op(op === Op.Jmpf ? W.I32Add : W.I32Sub).set(T);
        return this.#jumpDynamic(i, block, context);
      case Op.Jmpe:
        b.get(FLAGL).open(W.If, "if").get(r(a)).set(T);
        this.#jumpDynamic(i, block, context, a);
        return void b.end();
      case Op.Nop:
        return;
      case Op.Inc:
      case Op.Dec:
        return void b.get(r(a)).i32(1).op(op === Op.Inc ? W.I32Add : W.I32Sub).set(r(a));
      case Op.Djmpe:
        b.get(FLAGL);
        if (a < 0) return this.#handOverIf(i, block);
        b.open(W.If, "if");
        this.#goTo(a, context);
        return void b.end();
      case Op.Loadf64:
        return void b.f64(bb).set(f(a));
      case Op.Shl:
      case Op.Shr:
        return void b.get(r(a)).i32(bb).op(op === Op.Shl ? W.I32Shl : W.I32ShrS).set(r(a));
      case Op.Not:
        return void b.get(r(a)).i32(-1).op(W.I32Xor).set(r(bb));
      case Op.Lui:
        return void b.get(r(a)).i32(16).op(W.I32Shl).i32(bb).op(W.I32Or).set(r(a));
      case Op.Cloop:
        return void b.i32(a).set(LC);
      case Op.Loop:
        b.get(LC);
        if (a < 0) return this.#handOverIf(i, block);
        b.open(W.If, "if").get(LC).i32(1).op(W.I32Sub).set(LC);
        this.#goTo(a, context);
        return void b.end();
      case Op.Push:
        return this.#push(i, block, context, () => b.get(r(a)));
      case Op.Pop:
        this.#emptyCheck(i, block, context);
        b.get(SP).i32(1).op(W.I32Sub).set(SP);
        this.#slot(0);
        b.memory(W.I32Load, 2, STACK).set(r(a));
        return this.#moved(context, -1);
      case Op.Call:
        if (a < 0) return this.#handOver(i, block);
        this.#push(i, block, context, () => b.i32(pc + SIZE));
        return this.#goTo(a, context, false, [...context.returns, pc + SIZE]);
      case Op.Ret: {
        this.#emptyCheck(i, block, context);
        this.#slot(-1);
        b.memory(W.I32Load, 2, STACK).set(T);
        this.#moved(context, -1); // for the inlined return below; the dispatch forgets what is known
        // After an inlined call, guess the return address it pushed: a right guess continues inline.
        const expected = context.returns.at(-1);
        if (expected !== undefined) {
          b.get(T).i32(expected).op(W.I32Eq).open(W.If, "if").get(SP).i32(1).op(W.I32Sub).set(SP);
          this.#goTo(expected, context, false, context.returns.slice(0, -1));
          b.end();
        }
        return this.#jumpToT(i, block, () => b.get(SP).i32(1).op(W.I32Sub).set(SP));
      }
      case Op.Loadm:
      case Op.Setm:
        // Out of range (negative too, as unsigned): the interpreter faults on it.
        b.get(r(a)).set(T).get(T).get(HEND).op(W.I32GtU);
        this.#handOverIf(i, block);
        if (op === Op.Loadm) return void b.get(T).memory(W.I32Load, 0, HEAP).set(r(bb));
        return void b.get(T).get(r(bb)).memory(W.I32Store, 0, HEAP);
      case Op.Ldi:
        if (bb + 4 > this.rodata.length) return this.#handOver(i, block);
        return void b.i32(this.rodataView.getInt32(bb, true)).set(r(a));
      case Op.Ldf64:
        if (bb + 8 > this.rodata.length) return this.#handOver(i, block);
        return void b.f64(this.rodataView.getFloat64(bb, true)).set(f(a));
      case Op.Djmp:
        if (a < 0) return this.#handOver(i, block);
        return this.#goTo(a, context);
      case Op.Mov:
        return void b.get(r(a)).set(r(bb));
      case Op.Movf64:
        return void b.get(f(a)).set(f(bb));
      case Op.Itof:
        return void b.get(r(a)).op(W.F64ConvertI32S).set(f(bb));
      case Op.Ftoi:
        // Out of range (or NaN) faults in the interpreter; i32.trunc_f64_s would trap.
        b.get(f(a)).f64(-2147483649).op(W.F64Gt).get(f(a)).f64(2147483648).op(W.F64Lt, W.I32And, W.I32Eqz);
        this.#handOverIf(i, block);
        return void b.get(f(a)).op(W.I32TruncF64S).set(r(bb));
      case Op.Shru:
        return void b.get(r(a)).i32(bb).op(W.I32ShrU).set(r(a));
      case Op.Rem:
        // i32.rem_s traps only on a zero divisor (MIN rem -1 is 0), which the interpreter faults on.
        b.get(r(bb)).op(W.I32Eqz);
        this.#handOverIf(i, block);
        return void b.get(r(a)).get(r(bb)).op(W.I32RemS).set(r(c));
      default:
        // Handed-over instructions are one-instruction blocks.
        return this.#handOver(i, block);
    }
  }
}
