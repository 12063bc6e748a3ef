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
 * Budget: each block checks `left >= length` on entry, else hands the remaining `left` instructions over,
 * so a run never exceeds its budget and `executed` counts match the interpreter's.
 */
import { INSTRUCTION_SIZE } from "../../isa/opcodes.ts";
import { OP_VALUES as Op } from "../interpreter.ts";
import type { VmState } from "../state.ts";
import { type Block, type BlockMap, findBlocks, isHandedOver, loadedConstants } from "./_blocks.ts";

/**
 * A compiled program: runs at most `budget` instructions of `s` from `s.pc`, stores state back into `s`
 * (with the count in `s.executed`) and returns HALTED, or how many instructions the interpreter must run
 * next from `s.pc` (0 when the budget is used up exactly at a block boundary).
 */
export type CompiledCode = (s: VmState, budget: number) => number;

/** Returned by CompiledCode after `hlt` (which counts as executed; `s.pc` is past it, as in the interpreter). */
export const HALTED = -1;

/** The generated source and the pieces it needs, before `new Function`. */
export interface GeneratedCode {
  source: string;
  /** Doubles the source reads as `K[i]` (`ldf64` constants: NaN, -0 and friends need no literal). */
  floatConstants: number[];
  blocks: BlockMap;
}

const SIZE = INSTRUCTION_SIZE;

/** Generates the JavaScript for `code` (pre-decoded, `codeLength` bytes, a multiple of 4) and `rodata`. */
export function generateCode(code: Int32Array, codeLength: number, rodata: Uint8Array): GeneratedCode {
  const count = codeLength / SIZE;
  const blockMap = findBlocks(code, count);
  const gen = new Generator(code, codeLength, rodata, blockMap);
  return { source: gen.source(), floatConstants: gen.floatConstants, blocks: blockMap };
}

/** Turns generated code into a function. */
export function compileCode(generated: GeneratedCode): CompiledCode {
  const factory = new Function("K", "D", `"use strict";\n${generated.source}`);
  return factory(generated.floatConstants, generated.blocks.toBlockEnd) as CompiledCode;
}

class Generator {
  readonly floatConstants: number[] = [];
  readonly #usedR = new Set<number>();
  readonly #usedF = new Set<number>();
  #usesHeap = false;
  #usesStack = false;
  readonly #rodataView: DataView;

  constructor(
    readonly code: Int32Array,
    readonly codeLength: number,
    readonly rodata: Uint8Array,
    readonly blockMap: BlockMap,
  ) {
    this.#rodataView = new DataView(rodata.buffer, rodata.byteOffset, rodata.byteLength);
  }

  source(): string {
    const cases = this.blockMap.blocks.map((block) => this.#block(block)).join("\n");
    const count = this.blockMap.count;
    const r = [...this.#usedR].sort((a, b) => a - b);
    const f = [...this.#usedF].sort((a, b) => a - b);
    const load = [
      ...r.map((i) => `let r${i} = R[${i}];`),
      ...f.map((i) => `let f${i} = F[${i}];`),
      this.#usesHeap ? "const heap = s.heap, hs = s.heapSize;" : "",
      this.#usesStack ? "const stack = s.stack; let sp = s.stackDepth;" : "",
    ];
    const store = [
      ...r.map((i) => `R[${i}] = r${i};`),
      ...f.map((i) => `F[${i}] = f${i};`),
      this.#usesStack ? "s.stackDepth = sp;" : "",
    ];
    return `return function run(s, budget) {
const R = s.registers, F = s.floats;
${load.filter(Boolean).join("\n")}
let flag = s.equalFlag, rem = s.remainder, lc = s.loopCounter;
let pc = s.pc, left = budget, exit = 0, t = 0, u = 0;
dispatch: for (;;) {
switch (pc >> 2) {
${cases}
case ${count}: pc = ${count * SIZE}; exit = left < 1 ? 0 : 1; break dispatch;
default: exit = Math.min(left, D[pc >> 2]); break dispatch;
}
}
${store.filter(Boolean).join("\n")}
s.pc = pc; s.equalFlag = flag; s.remainder = rem; s.loopCounter = lc; s.executed = budget - left;
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

  /** One block as a `case`; a block that may jump to itself becomes a loop labelled `L<start>`. */
  #block(block: Block): string {
    const n = block.end - block.start;
    const label = `L${block.start}`;
    const lines: string[] = [];
    let selfLoop = false;
    for (let i = block.start; i < block.end; i++) {
      const emitted = this.#instruction(i, block, label);
      lines.push(emitted.text);
      selfLoop ||= emitted.selfLoop;
    }
    const first = this.code[block.start * SIZE];
    if (n === 1 && isHandedOver(first)) {
      return `case ${block.start}: pc = ${block.start * SIZE}; exit = left < 1 ? 0 : 1; break dispatch;`;
    }
    const body = [
      `if (left < ${n}) { pc = ${block.start * SIZE}; exit = left; break dispatch; }`,
      `left -= ${n};`,
      ...lines,
    ].join("\n");
    return selfLoop
      ? `case ${block.start}: ${label}: for (;;) {\n${body}\nbreak;\n}`
      : `case ${block.start}: {\n${body}\n}`;
  }

  /** Hands instruction `i` of `block` (and the rest of the block) to the interpreter. */
  #handOver(i: number, block: Block): string {
    const rest = block.end - i;
    return `{ pc = ${i * SIZE}; left += ${rest}; exit = ${rest}; break dispatch; }`;
  }

  /** A jump to the static address `target` (already checked to be a jump target). */
  #jumpTo(target: number, block: Block, label: string): { text: string; selfLoop: boolean } {
    if (target === block.start * SIZE) return { text: `continue ${label};`, selfLoop: true };
    return { text: `{ pc = ${target}; continue dispatch; }`, selfLoop: false };
  }

  /** A jump to the address in `t`, checked as the interpreter checks it; speculates on the block's own start. */
  #jumpDynamic(i: number, block: Block, label: string, reg?: number): { text: string; selfLoop: boolean } {
    const own = block.start * SIZE;
    const speculate = reg !== undefined && loadedConstants(this.code, this.blockMap.count, reg).has(own);
    const check = `if (t < 0 || t > ${this.codeLength} + 4 || (t & 3) !== 0) ${this.#handOver(i, block)}`;
    const text = `${speculate ? `if (t === ${own}) continue ${label}; ` : ""}${check} pc = t; continue dispatch;`;
    return { text, selfLoop: speculate };
  }

  #instruction(i: number, block: Block, label: string): { text: string; selfLoop: boolean } {
    const pc = i * SIZE, code = this.code;
    const op = code[pc], a = code[pc + 1], b = code[pc + 2], c = code[pc + 3];
    const plain = (text: string) => ({ text, selfLoop: false });
    const handOver = this.#handOver(i, block);
    const r = (x: number) => this.#r(x), f = (x: number) => this.#f(x);
    switch (op) {
      case Op.Load:
        return plain(`${r(a)} = ${b};`);
      case Op.Add:
        return plain(`${r(c)} = (${r(a)} + ${r(b)}) | 0;`);
      case Op.Sub:
        return plain(`${r(c)} = (${r(a)} - ${r(b)}) | 0;`);
      case Op.Mul:
        return plain(`${r(c)} = Math.imul(${r(a)}, ${r(b)});`);
      case Op.Div:
        return plain(
          `if (${r(b)} === 0) ${handOver} t = ${r(a)}; u = ${r(b)}; ${r(c)} = (t / u) | 0; rem = (t % u) | 0;`,
        );
      case Op.Hlt:
        return plain(`pc = ${pc + SIZE}; exit = ${HALTED}; break dispatch;`);
      case Op.Jmp: {
        const jump = this.#jumpDynamic(i, block, label, a);
        return { text: `t = ${r(a)}; ${jump.text}`, selfLoop: jump.selfLoop };
      }
      case Op.Jmpf:
        return plain(`t = ${pc + SIZE} + ${r(a)}; ${this.#jumpDynamic(i, block, label).text}`);
      case Op.Jmpb:
        return plain(`t = ${pc + SIZE} - ${r(a)}; ${this.#jumpDynamic(i, block, label).text}`);
      case Op.Eq:
        return plain(`flag = ${r(a)} === ${r(b)};`);
      case Op.Neq:
        return plain(`flag = ${r(a)} !== ${r(b)};`);
      case Op.Gte:
        return plain(`flag = ${r(a)} >= ${r(b)};`);
      case Op.Lte:
        return plain(`flag = ${r(a)} <= ${r(b)};`);
      case Op.Lt:
        return plain(`flag = ${r(a)} < ${r(b)};`);
      case Op.Gt:
        return plain(`flag = ${r(a)} > ${r(b)};`);
      case Op.Jmpe: {
        const jump = this.#jumpDynamic(i, block, label, a);
        return { text: `if (flag) { t = ${r(a)}; ${jump.text} }`, selfLoop: jump.selfLoop };
      }
      case Op.Nop:
        return plain("");
      case Op.Inc:
        return plain(`${r(a)} = (${r(a)} + 1) | 0;`);
      case Op.Dec:
        return plain(`${r(a)} = (${r(a)} - 1) | 0;`);
      case Op.Djmpe: {
        if (a < 0) return plain(`if (flag) ${handOver}`);
        const jump = this.#jumpTo(a, block, label);
        return { text: `if (flag) ${jump.text}`, selfLoop: jump.selfLoop };
      }
      case Op.Loadf64:
        return plain(`${f(a)} = ${b};`);
      case Op.Addf64:
        return plain(`${f(c)} = ${f(a)} + ${f(b)};`);
      case Op.Subf64:
        return plain(`${f(c)} = ${f(a)} - ${f(b)};`);
      case Op.Mulf64:
        return plain(`${f(c)} = ${f(a)} * ${f(b)};`);
      case Op.Divf64:
        return plain(`${f(c)} = ${f(a)} / ${f(b)};`);
      case Op.Eqf64:
        return plain(`flag = ${f(a)} === ${f(b)};`);
      case Op.Neqf64:
        return plain(`flag = ${f(a)} !== ${f(b)};`);
      case Op.Gtf64:
        return plain(`flag = ${f(a)} > ${f(b)};`);
      case Op.Gtef64:
        return plain(`flag = ${f(a)} >= ${f(b)};`);
      case Op.Ltf64:
        return plain(`flag = ${f(a)} < ${f(b)};`);
      case Op.Ltef64:
        return plain(`flag = ${f(a)} <= ${f(b)};`);
      case Op.Shl:
        return plain(`${r(a)} = ${r(a)} << ${b};`);
      case Op.Shr:
        return plain(`${r(a)} = ${r(a)} >> ${b};`);
      case Op.And:
        return plain(`${r(c)} = ${r(a)} & ${r(b)};`);
      case Op.Or:
        return plain(`${r(c)} = ${r(a)} | ${r(b)};`);
      case Op.Xor:
        return plain(`${r(c)} = ${r(a)} ^ ${r(b)};`);
      case Op.Not:
        return plain(`${r(b)} = ~${r(a)};`);
      case Op.Lui:
        return plain(`${r(a)} = (${r(a)} << 16) | ${b};`);
      case Op.Cloop:
        return plain(`lc = ${a};`);
      case Op.Loop: {
        if (a < 0) return plain(`if (lc !== 0) ${handOver}`);
        const jump = this.#jumpTo(a, block, label);
        return { text: `if (lc !== 0) { lc = lc - 1; ${jump.text} }`, selfLoop: jump.selfLoop };
      }
      case Op.Loadm:
        this.#usesHeap = true;
        return plain(
          `t = ${r(a)}; if (t < 0 || t + 4 > hs) ${handOver} ` +
            `${r(b)} = heap[t] | (heap[t + 1] << 8) | (heap[t + 2] << 16) | (heap[t + 3] << 24);`,
        );
      case Op.Setm:
        this.#usesHeap = true;
        return plain(
          `t = ${r(a)}; if (t < 0 || t + 4 > hs) ${handOver} u = ${r(b)}; ` +
            `heap[t] = u; heap[t + 1] = u >> 8; heap[t + 2] = u >> 16; heap[t + 3] = u >> 24;`,
        );
      case Op.Push:
        this.#usesStack = true;
        // A full backing store (to grow, or at the limit) is the interpreter's business.
        return plain(`if (sp === stack.length) ${handOver} stack[sp++] = ${r(a)};`);
      case Op.Pop:
        this.#usesStack = true;
        return plain(`if (sp === 0) ${handOver} ${r(a)} = stack[--sp];`);
      case Op.Call: {
        this.#usesStack = true;
        if (a < 0) return plain(handOver);
        const jump = this.#jumpTo(a, block, label);
        return {
          text: `if (sp === stack.length) ${handOver} stack[sp++] = ${pc + SIZE}; ${jump.text}`,
          selfLoop: jump.selfLoop,
        };
      }
      case Op.Ret:
        this.#usesStack = true;
        return plain(
          `if (sp === 0) ${handOver} t = stack[sp - 1]; ` +
            `if (t < 0 || t > ${this.codeLength} + 4 || (t & 3) !== 0) ${handOver} sp--; pc = t; continue dispatch;`,
        );
      case Op.Ldi:
        if (b + 4 > this.rodata.length) return plain(handOver);
        return plain(`${r(a)} = ${this.#rodataView.getInt32(b, true)};`);
      case Op.Ldf64:
        if (b + 8 > this.rodata.length) return plain(handOver);
        this.floatConstants.push(this.#rodataView.getFloat64(b, true));
        return plain(`${f(a)} = K[${this.floatConstants.length - 1}];`);
      default:
        // Handed-over instructions are one-instruction blocks (see #block); nothing else gets here.
        return plain(handOver);
    }
  }
}
