/**
 * Superinstructions: the pre-decoded code (src/vm/predecode.ts) with the closing sequence of counting
 * loops marked so that the interpreter runs it in one dispatch: `inc` or `dec`, then a compare (`eq neq
 * gte lte lt gt`), then `jmpe` or `djmpe` (StepCmpJmpe, StepCmpDjmpe).
 *
 * Only the first instruction's word changes: it receives everything the fused handler needs (registers,
 * the step's sign, the comparison as a mask), so the instructions after it stay intact: a jump into the
 * middle of a sequence runs them one by one, as does a budget that ends inside one. The
 * comparison is a mask over the three outcomes (bit 0: a < b, bit 1: a == b, bit 2: a > b), which lets one
 * handler serve all six compares.
 *
 * A counting loop's closing three instructions then take one dispatch instead of three
 * (`bash bench/instructions.sh FILE --tier interpreter` measures it); a compare and branch fused without
 * the step measures worse on recursive code, so it is left out.
 */
import { INSTRUCTION_SIZE } from "../isa/opcodes.ts";
import { OP_VALUES as Op } from "./interpreter.ts";
import { packCode } from "./predecode.ts";

/** Mask of the outcomes for which each compare sets the flag. */
const COMPARE_MASK = new Map<number, number>([
  [Op.Lt, 1],
  [Op.Eq, 2],
  [Op.Lte, 3],
  [Op.Gt, 4],
  [Op.Neq, 5],
  [Op.Gte, 6],
]);

/**
 * The interpreter's code for `decoded` (src/vm/predecode.ts `packCode`) with the superinstructions marked;
 * `decoded` itself is left as it is. A fused word holds all that its handler needs: the opcode in bits 0-7,
 * the stepped register in 8-12, 1 in bit 13 for `dec`, the compared registers in 14-18 and 19-23, the
 * compare's mask in 24-26 and, for StepCmpJmpe, the register holding the branch target in 27-31.
 */
export function fuseInstructions(decoded: Int32Array): Int32Array {
  const code = packCode(decoded);
  const size = INSTRUCTION_SIZE;
  for (let pc = 0; pc + 2 * size < decoded.length; pc += size) {
    const op = decoded[pc];
    if (op !== Op.Inc && op !== Op.Dec) continue;
    const mask = COMPARE_MASK.get(decoded[pc + size]);
    const next = decoded[pc + 2 * size];
    const fused = next === Op.Jmpe ? Op.StepCmpJmpe : next === Op.Djmpe ? Op.StepCmpDjmpe : undefined;
    if (mask === undefined || fused === undefined) continue;
    const target = fused === Op.StepCmpJmpe ? decoded[pc + 2 * size + 1] : 0;
    code[pc] = fused | (decoded[pc + 1] << 8) | ((op === Op.Dec ? 1 : 0) << 13) |
      (decoded[pc + size + 1] << 14) | (decoded[pc + size + 2] << 19) | (mask << 24) | (target << 27);
  }
  return code;
}
