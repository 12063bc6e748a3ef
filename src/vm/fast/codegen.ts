/**
 * The fast tier's code generator: pre-decoded Iridium code becomes the source of one JavaScript function
 * that V8 compiles like any hot function. Blocks (src/vm/fast/_blocks.ts) become `case`s of a `switch`
 * on the instruction index inside one loop; registers live in `let` locals (int32 through `| 0` and
 * Math.imul) and go back to the typed arrays when the function returns.
 *
 * The generated code never reports a fault itself. Before anything that could fault (or that the fast
 * tier leaves to the interpreter: output, heap growth, a full stack's growth), it puts `pc` on that
 * instruction, un-counts it and returns a positive "hand-over" count; src/vm/fast/tier.ts then lets the
 * interpreter run that many instructions, which re-executes the instruction and faults exactly as the
 * reference does. So kinds, messages, pcs and register states of faults are the interpreter's by
 * construction.
 *
 * Budget: each block checks `left >= length` on entry, else stops before it (returns 0, `s.pc` on the
 * block), so a run never exceeds its budget and `executed` counts match the interpreter's. The caller
 * goes on with a new budget, or lets the interpreter run the last few instructions of its own budget.
 * Stopping at a block start, rather than handing the rest of the budget to the interpreter, keeps the
 * interpreter out of a long run's hot path: with it there, V8 optimized `interpret` alongside the
 * compiled code on the same background thread, and every slice resumed mid-block.
 */
import { INSTRUCTION_SIZE } from "../../isa/opcodes.ts";
import { OP_VALUES as Op } from "../interpreter.ts";
import type { VmState } from "../state.ts";
import { type Block, type BlockMap, findBlocks, isHandedOver } from "./_blocks.ts";
import { type CountedLoop, findCountedLoop } from "./counted_loop.ts";
import { BlockGenerator, INLINE_SIZE, leavesUnconditionally } from "./generator_base.ts";

/**
 * A compiled program: runs at most `budget` instructions of `s` from `s.pc`, stores state back into `s`
 * (with the count in `s.executed`) and returns HALTED; 0 when it stopped on the budget, at a block start
 * (a block longer than what is left of the budget, or nothing left); else how many instructions the
 * interpreter must run next from `s.pc` (a hand-over, see above). `budget` must be an int32
 * (src/vm/fast/tier.ts passes at most 65,536): the function reads it, `s.pc`, the stack depth, the
 * remainder and the loop counter with `| 0`, so that V8 keeps them as untagged integers in registers
 * rather than tagged values checked at every dispatch.
 */
export type CompiledCode = (s: VmState, budget: number) => number;

/** Returned by CompiledCode after `hlt` (which counts as executed; `s.pc` is past it, as in the interpreter). */
export const HALTED = -1;

/** The generated source and the pieces it needs, before `new Function`. */
export interface GeneratedCode {
  source: string;
  /**
   * Doubles the source reads as `K[i]` (`ldf64` constants: NaN, -0 and friends need no literal). A
   * Float64Array filled byte for byte keeps NaN payloads, which a plain array of numbers may quiet.
   */
  floatConstants: Float64Array;
  blocks: BlockMap;
}

const SIZE = INSTRUCTION_SIZE;

/**
 * Generates the JavaScript for `code` (pre-decoded, `codeLength` bytes, a multiple of 4) and `rodata`.
 * Only `entries` (by default every block) get a `case`; control reaching any other address (another
 * block, or the middle of one after a dynamic jump) is handed to the interpreter, which src/vm/fast/tier.ts
 * runs until it reaches an entry (it compiles only the hot blocks of a large program). Code inlined into
 * an entry's case is compiled whether or not it is an entry.
 */
export function generateCode(
  code: Int32Array,
  codeLength: number,
  rodata: Uint8Array,
  blockMap: BlockMap = findBlocks(code, codeLength / SIZE),
  entries: readonly Block[] = blockMap.blocks,
): GeneratedCode {
  const gen = new Generator(code, codeLength, rodata, blockMap, entries);
  const source = gen.source();
  const floatConstants = new Float64Array(gen.floatOffsets.length);
  const bytes = new Uint8Array(floatConstants.buffer);
  gen.floatOffsets.forEach((offset, i) => bytes.set(rodata.subarray(offset, offset + 8), i * 8));
  return { source, floatConstants, blocks: blockMap };
}

/** Turns generated code into a function. */
export function compileCode(generated: GeneratedCode): CompiledCode {
  const factory = new Function("K", `"use strict";\n${generated.source}`);
  return factory(generated.floatConstants) as CompiledCode;
}

/** Where the generator is: in the `case` of block `caseStart`, `depth` inlined blocks deep. */
interface Context {
  readonly caseStart: number;
  readonly depth: number;
  /** Instructions this case may still inline. */
  inlineLeft: number;
  /** Set when the code continues the case's loop: the case body is then wrapped in `L<start>: for`. */
  looped: boolean;
  /** Return addresses pushed by inlined calls on this path, innermost last: what `ret` will likely pop. */
  readonly returns: readonly number[];
}

/** Marks the end of a case body that continues with the next case; replaced once the body is known. */
const FALL_THROUGH = "/*fall through*/";

class Generator extends BlockGenerator {
  /** Read-only offsets of the `ldf64` constants, in `K` order. */
  readonly floatOffsets: number[] = [];
  readonly #usedR = new Set<number>();
  readonly #usedF = new Set<number>();
  #usesHeap = false;
  #usesStack = false;

  source(): string {
    const cases = [...this.entries].sort((a, b) => a.start - b.start).map((block) => this.#case(block))
      .join("\n");
    const count = this.blockMap.count;
    const r = [...this.#usedR].sort((a, b) => a - b);
    const f = [...this.#usedF].sort((a, b) => a - b);
    const load = [
      ...r.map((i) => `let r${i} = R[${i}];`),
      ...f.map((i) => `let f${i} = F[${i}];`),
      this.#usesHeap ? "const heap = s.heap, hs = s.heapSize;" : "",
      this.#usesStack ? "const stack = s.stack; let sp = s.stackDepth | 0;" : "",
    ];
    const store = [
      ...r.map((i) => `R[${i}] = r${i};`),
      ...f.map((i) => `F[${i}] = f${i};`),
      this.#usesStack ? "s.stackDepth = sp;" : "",
    ];
    return `return function run(s, budget) {
const R = s.registers, F = s.floats;
${load.filter(Boolean).join("\n")}
let flag = s.equalFlag, rem = s.remainder | 0, lc = s.loopCounter | 0;
let pc = s.pc | 0, left = budget | 0, exit = 0, back = 0, t = 0, u = 0, q = 0, from = 0, limit = 0;
dispatch: for (;;) {
switch (pc >> 2) {
${cases}
case ${count}: pc = ${count * SIZE}; exit = left < 1 ? 0 : 1; break dispatch;
default: exit = left < 1 ? 0 : 1; break dispatch;
}
}
${store.filter(Boolean).join("\n")}
s.pc = pc; s.equalFlag = flag; s.remainder = rem; s.loopCounter = lc; s.executed = budget - left - back;
return exit;
};`;
  }

  #r(index: number): string {
    this.#usedR.add(index);
    return `r${index}`;
  }

  #f(index: number): string {
    this.#usedF.add(index);
    return `f${index}`;
  }

  /**
   * One block as a `case`. Static jumps inline their target block (up to INLINE_DEPTH deep and
   * INLINE_SIZE instructions per case) instead of going round the dispatch `switch`; a jump back to the
   * case's own block is a `continue` of a loop labelled `L<start>`, so a loop of a few blocks runs as one
   * JavaScript loop.
   */
  #case(block: Block): string {
    const first = this.code[block.start * SIZE];
    if (block.end - block.start === 1 && isHandedOver(first)) {
      return `case ${block.start}: pc = ${block.start * SIZE}; exit = left < 1 ? 0 : 1; break dispatch;`;
    }
    const context: Context = {
      caseStart: block.start,
      depth: 0,
      inlineLeft: INLINE_SIZE,
      looped: false,
      returns: [],
    };
    const counted = findCountedLoop(this.code, block);
    const body = counted ? this.#countedLoopCode(block, counted, context) : this.#blockCode(block, context);
    const label = `L${block.start}`;
    return context.looped
      ? `case ${block.start}: ${label}: for (;;) {\n${body.replaceAll(FALL_THROUGH, "break;")}\n}`
      : `case ${block.start}: {\n${body.replaceAll(FALL_THROUGH, "")}\n}`;
  }

  /** The code of `block`: its budget check, its instructions, and where it goes after its last one. */
  #blockCode(block: Block, context: Context): string {
    const n = block.end - block.start;
    const lines = [
      `if (left < ${n}) { pc = ${block.start * SIZE}; exit = 0; break dispatch; }`,
      `left -= ${n};`,
    ];
    for (let i = block.start; i < block.end; i++) lines.push(this.#instruction(i, block, context));
    const last = this.code[(block.end - 1) * SIZE];
    if (!leavesUnconditionally(last)) lines.push(this.#goTo(block.end * SIZE, context, true));
    return lines.join("\n");
  }

  /**
   * A counted loop (src/vm/fast/counted_loop.ts) as its case's loop. When the loop's preconditions hold
   * on entry (the branch goes back to the block; the stepped register is on the near side of the bound,
   * so it reaches it without wrapping), one JavaScript loop runs as many iterations as the condition and
   * the budget both allow, its test being the stepped register against that limit; the flag is computed
   * once afterwards (only the branch reads it, and the compare's operands are final by then). Otherwise,
   * and for the last partial iteration of a budget, the generic code runs.
   */
  #countedLoopCode(block: Block, loop: CountedLoop, context: Context): string {
    const n = block.end - block.start, own = block.start * SIZE;
    const v = this.#r(loop.register), b = this.#r(loop.bound);
    const up = loop.step === 1;
    // The far end of the walk: the last value the condition accepts, plus one step.
    const end = loop.relation === "<=" ? `${b} + 1` : loop.relation === ">=" ? `${b} - 1` : b;
    const guards = [up ? `${v} < ${end}` : `${v} > ${end}`];
    if (loop.relation === "<=") guards.push(`${b} !== 2147483647`);
    if (loop.relation === ">=") guards.push(`${b} !== -2147483648`);
    if (loop.targetRegister !== undefined) guards.push(`${this.#r(loop.targetRegister)} === ${own}`);
    const body: string[] = [];
    for (let i = block.start; i < block.end - 1; i++) {
      if (i !== loop.compareAt) body.push(this.#instruction(i, block, context));
    }
    const compare = this.#instruction(loop.compareAt, block, context);
    const generic = [`left -= ${n};`];
    for (let i = block.start; i < block.end; i++) generic.push(this.#instruction(i, block, context));
    context.looped = true;
    return [
      `if (left < ${n}) { pc = ${own}; exit = 0; break dispatch; }`,
      `if (${guards.join(" && ")}) {`,
      // Inside int32 by the guards, so `| 0` loses nothing and keeps the loop's test an integer compare.
      `from = ${v}; limit = (from ${up ? "+" : "-"} Math.min(${up ? `${end} - from` : `from - (${end})`}, ` +
      `(left / ${n}) | 0)) | 0;`,
      "do {",
      ...body,
      `} while (${v} ${up ? "<" : ">"} limit);`,
      `left -= ${n} * ${up ? `(${v} - from)` : `(from - ${v})`};`,
      compare,
      `if (flag) continue L${block.start};`,
      "} else {",
      ...generic,
      "}",
      this.#goTo(block.end * SIZE, context, true),
    ].join("\n");
  }

  /** Hands instruction `i` of `block` (and the rest of the block) to the interpreter. */
  #handOver(i: number, block: Block): string {
    const rest = block.end - i;
    return `{ pc = ${i * SIZE}; back = ${rest}; exit = ${rest}; break dispatch; }`;
  }

  /**
   * Control to the static address `target` (already checked to be a jump target): a `continue` of the
   * case's loop, an inlined copy of the target block, the next `case` (`fallThrough` at depth 0), or the
   * dispatch `switch`.
   */
  #goTo(target: number, context: Context, fallThrough = false, returns = context.returns): string {
    const index = target / SIZE;
    if (index === context.caseStart) {
      context.looped = true;
      return `continue L${context.caseStart};`;
    }
    const block = this.inlinedBlock(index, context);
    if (block) {
      const inner: Context = { ...context, depth: context.depth + 1, returns };
      const code = this.#blockCode(block, inner);
      context.looped ||= inner.looped;
      context.inlineLeft = inner.inlineLeft;
      return `{\n${code}\n}`;
    }
    // The next case in the source is the next entry: the block right after this one, if it is an entry.
    if (fallThrough && context.depth === 0 && this.entryStarts.has(index)) return FALL_THROUGH;
    return `{ pc = ${target}; continue dispatch; }`;
  }

  /** A jump to the address in `t`, checked as the interpreter checks it; speculates on the case's own loop. */
  #jumpDynamic(i: number, block: Block, context: Context, reg?: number): string {
    const own = context.caseStart * SIZE;
    const speculate = reg !== undefined && this.loadedInto(reg).has(own);
    if (speculate) context.looped = true;
    const check = `if ((t >>> 0) > ${this.codeLength} || (t & 3) !== 0) ${this.#handOver(i, block)}`;
    return `${
      speculate ? `if (t === ${own}) continue L${context.caseStart}; ` : ""
    }${check} pc = t; continue dispatch;`;
  }

  #instruction(i: number, block: Block, context: Context): string {
    const pc = i * SIZE, code = this.code;
    const op = code[pc], a = code[pc + 1], b = code[pc + 2], c = code[pc + 3];
    const handOver = this.#handOver(i, block);
    const r = (x: number) => this.#r(x), f = (x: number) => this.#f(x);
    switch (op) {
      case Op.Load:
        return `${r(a)} = ${b};`;
      case Op.Add:
        return `${r(c)} = (${r(a)} + ${r(b)}) | 0;`;
      case Op.Sub:
        return `${r(c)} = (${r(a)} - ${r(b)}) | 0;`;
      case Op.Mul:
        return `${r(c)} = Math.imul(${r(a)}, ${r(b)});`;
      case Op.Div:
        return `if (${r(b)} === 0) ${handOver} t = ${r(a)}; u = ${r(b)}; q = (t / u) | 0; ` +
          // One division, not two: t - q * u is t % u for the truncated q, MIN / -1 included.
          `rem = (t - Math.imul(q, u)) | 0; ${r(c)} = q;`;
      case Op.Hlt:
        return `pc = ${pc + SIZE}; exit = ${HALTED}; break dispatch;`;
      case Op.Jmp:
        return `t = ${r(a)}; ${this.#jumpDynamic(i, block, context, a)}`;
      case Op.Jmpf:
        return `t = ${pc + SIZE} + ${r(a)}; ${this.#jumpDynamic(i, block, context)}`;
      case Op.Jmpb:
        return `t = ${pc + SIZE} - ${r(a)}; ${this.#jumpDynamic(i, block, context)}`;
      case Op.Eq:
        return `flag = ${r(a)} === ${r(b)};`;
      case Op.Neq:
        return `flag = ${r(a)} !== ${r(b)};`;
      case Op.Gte:
        return `flag = ${r(a)} >= ${r(b)};`;
      case Op.Lte:
        return `flag = ${r(a)} <= ${r(b)};`;
      case Op.Lt:
        return `flag = ${r(a)} < ${r(b)};`;
      case Op.Gt:
        return `flag = ${r(a)} > ${r(b)};`;
      case Op.Jmpe:
        return `if (flag) { t = ${r(a)}; ${this.#jumpDynamic(i, block, context, a)} }`;
      case Op.Nop:
        return ("");
      case Op.Inc:
        return `${r(a)} = (${r(a)} + 1) | 0;`;
      case Op.Dec:
        return `${r(a)} = (${r(a)} - 1) | 0;`;
      case Op.Djmpe:
        return a < 0 ? `if (flag) ${handOver}` : `if (flag) ${this.#goTo(a, context)}`;
      case Op.Loadf64:
        return `${f(a)} = ${b};`;
      case Op.Addf64:
        return `${f(c)} = ${f(a)} + ${f(b)};`;
      case Op.Subf64:
        return `${f(c)} = ${f(a)} - ${f(b)};`;
      case Op.Mulf64:
        return `${f(c)} = ${f(a)} * ${f(b)};`;
      case Op.Divf64:
        return `${f(c)} = ${f(a)} / ${f(b)};`;
      case Op.Eqf64:
        return `flag = ${f(a)} === ${f(b)};`;
      case Op.Neqf64:
        return `flag = ${f(a)} !== ${f(b)};`;
      case Op.Gtf64:
        return `flag = ${f(a)} > ${f(b)};`;
      case Op.Gtef64:
        return `flag = ${f(a)} >= ${f(b)};`;
      case Op.Ltf64:
        return `flag = ${f(a)} < ${f(b)};`;
      case Op.Ltef64:
        return `flag = ${f(a)} <= ${f(b)};`;
      case Op.Shl:
        return `${r(a)} = ${r(a)} << ${b};`;
      case Op.Shr:
        return `${r(a)} = ${r(a)} >> ${b};`;
      case Op.And:
        return `${r(c)} = ${r(a)} & ${r(b)};`;
      case Op.Or:
        return `${r(c)} = ${r(a)} | ${r(b)};`;
      case Op.Xor:
        return `${r(c)} = ${r(a)} ^ ${r(b)};`;
      case Op.Not:
        return `${r(b)} = ~${r(a)};`;
      case Op.Lui:
        return `${r(a)} = (${r(a)} << 16) | ${b};`;
      case Op.Cloop:
        return `lc = ${a};`;
      case Op.Loop:
        return a < 0
          ? `if (lc !== 0) ${handOver}`
          : `if (lc !== 0) { lc = lc - 1; ${this.#goTo(a, context)} }`;
      case Op.Loadm:
        this.#usesHeap = true;
        return `t = ${r(a)}; if (t < 0 || t + 4 > hs) ${handOver} ` +
          `${r(b)} = heap[t] | (heap[t + 1] << 8) | (heap[t + 2] << 16) | (heap[t + 3] << 24);`;
      case Op.Setm:
        this.#usesHeap = true;
        return `t = ${r(a)}; if (t < 0 || t + 4 > hs) ${handOver} u = ${r(b)}; ` +
          `heap[t] = u; heap[t + 1] = u >> 8; heap[t + 2] = u >> 16; heap[t + 3] = u >> 24;`;
      case Op.Push:
        this.#usesStack = true;
        // A full backing store (to grow, or at the limit) is the interpreter's business.
        return `if (sp === stack.length) ${handOver} stack[sp++] = ${r(a)};`;
      case Op.Pop:
        this.#usesStack = true;
        return `if (sp === 0) ${handOver} ${r(a)} = stack[--sp];`;
      case Op.Call:
        this.#usesStack = true;
        if (a < 0) return handOver;
        return `if (sp === stack.length) ${handOver} stack[sp++] = ${pc + SIZE}; ` +
          this.#goTo(a, context, false, [...context.returns, pc + SIZE]);
      case Op.Ret: {
        this.#usesStack = true;
        // After an inlined call, guess the return address it pushed: a right guess continues inline.
        const expected = context.returns.at(-1);
        const guess = expected === undefined
          ? ""
          : `if (t === ${expected}) { sp--; ${
            this.#goTo(expected, context, false, context.returns.slice(0, -1))
          } } `;
        return `if (sp === 0) ${handOver} t = stack[sp - 1]; ${guess}` +
          `if ((t >>> 0) > ${this.codeLength} || (t & 3) !== 0) ${handOver} sp--; pc = t; continue dispatch;`;
      }
      case Op.Ldi:
        if (b + 4 > this.rodata.length) return handOver;
        return `${r(a)} = ${this.rodataView.getInt32(b, true)};`;
      case Op.Ldf64:
        if (b + 8 > this.rodata.length) return handOver;
        this.floatOffsets.push(b);
        return `${f(a)} = K[${this.floatOffsets.length - 1}];`;
      case Op.Djmp:
        return a < 0 ? handOver : this.#goTo(a, context);
      case Op.Mov:
        return `${r(b)} = ${r(a)};`;
      case Op.Movf64:
        return `${f(b)} = ${f(a)};`;
      case Op.Itof:
        return `${f(b)} = ${r(a)};`;
      case Op.Ftoi:
        // In range exactly when strictly between these two (NaN is not); `| 0` then truncates toward zero.
        return `if (!(${f(a)} > -2147483649 && ${f(a)} < 2147483648)) ${handOver} ${r(b)} = ${f(a)} | 0;`;
      case Op.Shru:
        return `${r(a)} = (${r(a)} >>> ${b}) | 0;`;
      case Op.Rem:
        return `if (${r(b)} === 0) ${handOver} ${r(c)} = (${r(a)} % ${r(b)}) | 0;`;
      default:
        // Handed-over instructions are one-instruction blocks (see #blockCode); nothing else gets here.
        return handOver;
    }
  }
}
