/**
 * What the fast tier's two code generators (src/vm/fast/codegen.ts for JavaScript, src/vm/fast/wasm_codegen.ts
 * for WebAssembly) share: the program's blocks, which of them get a `case`, and the inlining limits and
 * decision, so that both compile a program into the same shape.
 */
import { INSTRUCTION_SIZE } from "../../isa/opcodes.ts";
import { OP_VALUES as Op } from "../interpreter.ts";
import { type Block, type BlockMap, isHandedOver, loadedConstants } from "./_blocks.ts";

/**
 * Inlining limits. Measured on W2 (fib(32), warm, this machine): inlining call targets and taken
 * branches plus guessing return addresses brought a run from about 29 ms to about 23 ms; W3's loop body
 * became one JavaScript loop (154 ms to about 110 ms). Deeper inlining grows the function V8 must optimize
 * for little more.
 */
export const INLINE_DEPTH = 4;
export const INLINE_SIZE = 64;

/**
 * Instructions the whole function may inline. The benchmarks and the examples inline at most 60; the
 * cap keeps a program of many blocks from growing a function V8 takes longer to optimize than it saves.
 * Measured on a generated program of 200 four-instruction blocks, each branching to another (20 million
 * instructions): without the cap 190 ms, with it 70-110 ms, the interpreter about 75 ms.
 */
export const INLINE_TOTAL = 512;

/** True when no instruction after `op` runs in straight-line order. */
export function leavesUnconditionally(op: number): boolean {
  return op === Op.Hlt || op === Op.Jmp || op === Op.Jmpf || op === Op.Jmpb || op === Op.Djmp ||
    op === Op.Call || op === Op.Ret || isHandedOver(op);
}

/** The part of a generator's context the inlining decision reads and charges. */
export interface InlineContext {
  readonly depth: number;
  /** Instructions this case may still inline (INLINE_SIZE to start with). */
  inlineLeft: number;
}

/** A code generator's view of the program. */
export abstract class BlockGenerator {
  protected readonly rodataView: DataView;
  protected readonly blockAt: Map<number, Block>;
  /** Starts of the blocks with a `case`, and the end sentinel's index. */
  protected readonly entryStarts: Set<number>;
  /** Instructions the function may still inline (INLINE_TOTAL). */
  #inlineTotalLeft = INLINE_TOTAL;
  readonly #constants = new Map<number, Set<number>>();

  constructor(
    readonly code: Int32Array,
    readonly codeLength: number,
    readonly rodata: Uint8Array,
    readonly blockMap: BlockMap,
    readonly entries: readonly Block[],
  ) {
    this.rodataView = new DataView(rodata.buffer, rodata.byteOffset, rodata.byteLength);
    this.blockAt = new Map(blockMap.blocks.map((block) => [block.start, block]));
    this.entryStarts = new Set([...entries.map((block) => block.start), blockMap.count]);
  }

  /**
   * loadedConstants() of register `reg`, computed once per register: each dynamic jump asks, and each
   * answer is a scan of the whole code.
   */
  protected loadedInto(reg: number): Set<number> {
    let values = this.#constants.get(reg);
    if (values === undefined) {
      this.#constants.set(reg, values = loadedConstants(this.code, this.blockMap.count, reg));
    }
    return values;
  }

  /**
   * The block at instruction index `index` when a static jump there from `context` is to be inlined
   * (within INLINE_DEPTH, the case's INLINE_SIZE and the function's INLINE_TOTAL, and not a handed-over
   * instruction), its size then charged to both budgets; else undefined.
   */
  protected inlinedBlock(index: number, context: InlineContext): Block | undefined {
    const block = this.blockAt.get(index);
    if (!block || context.depth >= INLINE_DEPTH || isHandedOver(this.code[block.start * INSTRUCTION_SIZE])) {
      return undefined;
    }
    const size = block.end - block.start;
    if (size > context.inlineLeft || size > this.#inlineTotalLeft) return undefined;
    context.inlineLeft -= size;
    this.#inlineTotalLeft -= size;
    return block;
  }
}
