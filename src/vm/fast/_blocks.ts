/**
 * Basic blocks of pre-decoded code (src/vm/predecode.ts) for the fast tier's code generator.
 *
 * Leaders: instruction 0, every static target (`djmp`, `djmpe`, `loop`, `call`), every instruction after one that
 * can leave straight-line order (a jump, `call`, `ret`, `hlt`) or that the generated code hands to the
 * interpreter (see `isHandedOver`), the end of the code, and every constant a dynamic jump may plausibly
 * go to (`load $r #k` of a register some `jmp`/`jmpe` reads, `k` aligned and inside the code). A dynamic
 * jump anywhere else still works: the generated dispatch hands such an entry to the interpreter, which
 * runs until it is at the start of a block with a `case` (src/vm/fast/tier.ts).
 */
import { INSTRUCTION_SIZE } from "../../isa/opcodes.ts";
import { OP_VALUES as Op } from "../interpreter.ts";

/** A straight-line run of instructions, by instruction index (byte address / 4). */
export interface Block {
  /** Index of the first instruction. */
  readonly start: number;
  /** Index one past the last instruction. */
  readonly end: number;
}

/** The blocks of a program, in code order, and how many instructions remain to each one's block end. */
export interface BlockMap {
  readonly blocks: readonly Block[];
  /** `toBlockEnd[i]` = instructions from `i` to the end of its block; the end sentinel has 1. */
  readonly toBlockEnd: Int32Array;
  /** Instruction count of the code, without the end sentinel. */
  readonly count: number;
}

/** Instructions the fast tier never compiles: the interpreter runs them (output, heap growth, processes and messages, faults). */
export function isHandedOver(op: number): boolean {
  return op === Op.Aloc || op === Op.Prts || op === Op.Prti || op === Op.Prtf64 ||
    (op >= Op.Self && op <= Op.Whereis) || op >= Op.Illegal;
}

/** True for instructions after which the next one is a leader. */
function endsBlock(op: number): boolean {
  switch (op) {
    case Op.Hlt:
    case Op.Jmp:
    case Op.Jmpf:
    case Op.Jmpb:
    case Op.Jmpe:
    case Op.Djmp:
    case Op.Djmpe:
    case Op.Loop:
    case Op.Call:
    case Op.Ret:
      return true;
    default:
      return isHandedOver(op);
  }
}

/** Static code targets of the instruction at `pc` (already -1 when outside the code). */
function staticTarget(op: number, code: Int32Array, pc: number): number | undefined {
  return op === Op.Djmp || op === Op.Djmpe || op === Op.Loop || op === Op.Call ? code[pc + 1] : undefined;
}

/** Splits `code` (pre-decoded, `count` instructions plus the end sentinel) into basic blocks. */
export function findBlocks(code: Int32Array, count: number): BlockMap {
  const leader = new Uint8Array(count + 1);
  leader[0] = 1;
  leader[count] = 1;
  const dynamicJumpRegisters = new Set<number>();
  for (let i = 0; i < count; i++) {
    const pc = i * INSTRUCTION_SIZE, op = code[pc];
    if (endsBlock(op)) leader[i + 1] = 1;
    if (isHandedOver(op)) leader[i] = 1;
    const target = staticTarget(op, code, pc);
    if (target !== undefined && target >= 0) leader[target / INSTRUCTION_SIZE] = 1;
    if (op === Op.Jmp || op === Op.Jmpe) dynamicJumpRegisters.add(code[pc + 1]);
  }
  for (let i = 0; i < count; i++) {
    const pc = i * INSTRUCTION_SIZE;
    if (code[pc] !== Op.Load || !dynamicJumpRegisters.has(code[pc + 1])) continue;
    const value = code[pc + 2];
    if (value % INSTRUCTION_SIZE === 0 && value / INSTRUCTION_SIZE < count) {
      leader[value / INSTRUCTION_SIZE] = 1;
    }
  }
  const blocks: Block[] = [];
  const toBlockEnd = new Int32Array(count + 1);
  toBlockEnd[count] = 1;
  let start = 0;
  for (let i = 1; i <= count; i++) {
    if (!leader[i]) continue;
    blocks.push({ start, end: i });
    for (let j = start; j < i; j++) toBlockEnd[j] = i - j;
    start = i;
  }
  return { blocks, toBlockEnd, count };
}

/**
 * Values a dynamic jump through register `reg` is likely to take: the immediates of `load $reg #k`.
 * The generated code tests the block's own start against them to stay in a tight loop.
 */
export function loadedConstants(code: Int32Array, count: number, reg: number): Set<number> {
  const values = new Set<number>();
  for (let i = 0; i < count; i++) {
    const pc = i * INSTRUCTION_SIZE;
    if (code[pc] === Op.Load && code[pc + 1] === reg) values.add(code[pc + 2]);
  }
  return values;
}
