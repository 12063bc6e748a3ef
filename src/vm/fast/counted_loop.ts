/**
 * Counted loops for the fast tier's code generator: a block that branches back to itself, steps one
 * register by one (`inc` or `dec`), compares it with a register the block does not write, and does nothing
 * else that could fault or leave the block. W1 (`inc $0; lt $0 $1; jmpe $2`) is the smallest one.
 *
 * The generic code checks the budget once per iteration. For a counted loop the generator instead
 * computes, on entry, how many iterations both the loop condition and the budget allow, and folds that
 * count into the loop's own test (`while (r0 < limit)`), so an iteration costs what the guest's three
 * instructions cost and nothing more: HotSpot and other JITs strip-mine counted loops the same way to take
 * safepoint polls out of them. Every iteration still runs, and registers, flag and count come out as the
 * interpreter leaves them (see src/vm/fast/codegen.ts, #countedLoopCase).
 */
import { INSTRUCTION_SIZE } from "../../isa/opcodes.ts";
import { OP_VALUES as Op } from "../interpreter.ts";
import type { Block } from "./_blocks.ts";

/** The loop condition, read with the stepped register on the left: `register RELATION bound`. */
export type Relation = "<" | "<=" | ">" | ">=" | "!=";

/** What the generator needs to know about a counted loop. */
export interface CountedLoop {
  /** The register stepped once per iteration. */
  readonly register: number;
  /** +1 for `inc`, -1 for `dec`. */
  readonly step: 1 | -1;
  /** The register compared with; the loop never writes it. */
  readonly bound: number;
  /** The condition under which the loop goes round again, stepped register on the left. */
  readonly relation: Relation;
  /** Index of the compare instruction (its flag is recomputed once after the loop). */
  readonly compareAt: number;
  /** The `jmpe` register that must hold the block's start (the loop never writes it); none for `djmpe`. */
  readonly targetRegister?: number;
}

/** Instructions the loop body may hold: they cannot fault, touch memory, print or jump. */
const PURE = new Set<number>([
  Op.Load,
  Op.Add,
  Op.Sub,
  Op.Mul,
  Op.Nop,
  Op.Inc,
  Op.Dec,
  Op.Shl,
  Op.Shr,
  Op.And,
  Op.Or,
  Op.Xor,
  Op.Not,
  Op.Lui,
  Op.Cloop,
  Op.Eq,
  Op.Neq,
  Op.Gte,
  Op.Lte,
  Op.Lt,
  Op.Gt,
  Op.Loadf64,
  Op.Addf64,
  Op.Subf64,
  Op.Mulf64,
  Op.Divf64,
  Op.Eqf64,
  Op.Neqf64,
  Op.Gtf64,
  Op.Gtef64,
  Op.Ltf64,
  Op.Ltef64,
  Op.Mov,
  Op.Movf64,
  Op.Itof,
  Op.Shru,
]);

/** Integer compares that set the flag: mnemonic order as the operands come (`lt a b` is `a < b`). */
const COMPARES = new Map<number, Relation | "==">([
  [Op.Lt, "<"],
  [Op.Lte, "<="],
  [Op.Gt, ">"],
  [Op.Gte, ">="],
  [Op.Neq, "!="],
  [Op.Eq, "=="],
]);

/** The same condition with its operands swapped (`b < a` is `a > b`). */
const MIRRORED: Record<Relation | "==", Relation | "=="> = {
  "<": ">",
  "<=": ">=",
  ">": "<",
  ">=": "<=",
  "!=": "!=",
  "==": "==",
};

/** The integer register instruction `pc` writes, if any. */
function writtenRegister(code: Int32Array, pc: number): number | undefined {
  switch (code[pc]) {
    case Op.Load:
    case Op.Inc:
    case Op.Dec:
    case Op.Shl:
    case Op.Shr:
    case Op.Lui:
    case Op.Shru:
      return code[pc + 1];
    case Op.Add:
    case Op.Sub:
    case Op.Mul:
    case Op.And:
    case Op.Or:
    case Op.Xor:
      return code[pc + 3];
    case Op.Not:
    case Op.Mov:
      return code[pc + 2];
    default:
      return undefined;
  }
}

function setsFlag(op: number): boolean {
  return COMPARES.has(op) || (op >= Op.Eqf64 && op <= Op.Ltef64);
}

/** The counted loop `block` of `code` (pre-decoded) is, or undefined when it is not one. */
export function findCountedLoop(code: Int32Array, block: Block): CountedLoop | undefined {
  const last = (block.end - 1) * INSTRUCTION_SIZE;
  const own = block.start * INSTRUCTION_SIZE;
  const branch = code[last];
  let targetRegister: number | undefined;
  if (branch === Op.Jmpe) targetRegister = code[last + 1];
  else if (branch !== Op.Djmpe || code[last + 1] !== own) return undefined;

  const writes = new Map<number, number>();
  let stepAt = -1, compareAt = -1;
  for (let i = block.start; i < block.end - 1; i++) {
    const pc = i * INSTRUCTION_SIZE, op = code[pc];
    if (!PURE.has(op)) return undefined;
    const written = writtenRegister(code, pc);
    if (written !== undefined) writes.set(written, (writes.get(written) ?? 0) + 1);
    if (op === Op.Inc || op === Op.Dec) stepAt = i;
    if (setsFlag(op)) compareAt = i;
  }
  if (stepAt < 0 || compareAt < stepAt) return undefined;
  const stepPc = stepAt * INSTRUCTION_SIZE, comparePc = compareAt * INSTRUCTION_SIZE;
  const register = code[stepPc + 1];
  let relation = COMPARES.get(code[comparePc]);
  if (relation === undefined || writes.get(register) !== 1) return undefined;
  const [x, y] = [code[comparePc + 1], code[comparePc + 2]];
  if (x === y || (x !== register && y !== register)) return undefined;
  const bound = x === register ? y : x;
  if (y === register) relation = MIRRORED[relation];
  if (writes.has(bound) || (targetRegister !== undefined && writes.has(targetRegister))) return undefined;
  const step = code[stepPc] === Op.Inc ? 1 : -1;
  // Only conditions that end the loop once the register has walked to the bound, without wrapping.
  const upward = relation === "<" || relation === "<=" || relation === "!=";
  const downward = relation === ">" || relation === ">=" || relation === "!=";
  if (step === 1 ? !upward : !downward) return undefined;
  return { register, step, bound, relation: relation as Relation, compareAt, targetRegister };
}
