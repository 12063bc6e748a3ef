/**
 * What the fast tier's two code generators (src/vm/fast/codegen.ts for JavaScript, src/vm/fast/wasm_codegen.ts
 * for WebAssembly) share: the program's blocks, which of them get a `case`, and the inlining limits and
 * decision, so that both compile a program into the same shape.
 */
import { INSTRUCTION_SIZE } from "../../isa/opcodes.ts";
import { OP_VALUES as Op } from "../interpreter.ts";
import { type Block, type BlockMap, isHandedOver, loadedConstants } from "./_blocks.ts";

/**
 * Inlining limits: inlining call targets and taken branches, and guessing return addresses, saves a
 * round of the dispatch loop per call and per branch (about a fifth of W2's time, and W3's loop body
 * becomes one loop); deeper inlining grows the function V8 must optimize for little more. Measured with
 * `BENCH_ONLY=loops deno task bench:peers`.
 */
export const INLINE_DEPTH = 4;
export const INLINE_SIZE = 64;

/**
 * Instructions the whole function may inline. The benchmarks and the examples inline at most 60; the
 * cap keeps a program of many blocks from growing a function V8 takes longer to optimize than it saves
 * (a program of 200 blocks each branching to another runs about twice as long without it).
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
