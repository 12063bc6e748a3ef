/**
 * The one rule for where a jump may land (src/isa/jump_target.ts), and its JavaScript source form, which
 * the fast tier's generated code uses, agreeing with it everywhere.
 * Mutations checked: `<` for `<=` (the end of the code refused), dropping the alignment test, dropping
 * `address >= 0` (negative addresses accepted), jumpTargetSource() with `& 7` or a signed compare.
 */
import { isInstructionAddress, isJumpTarget, jumpTargetSource } from "../../src/isa/jump_target.ts";
import { assertEquals } from "../assert.ts";

const LENGTH = 64;
const ADDRESSES = [0, 4, 60, 64, 68, 1, 2, 3, 62, -4, -1, -2147483648, 2147483644, 0x10000];

Deno.test("isJumpTarget() takes aligned addresses from 0 to the code length, the end included", () => {
  const taken = ADDRESSES.filter((address) => isJumpTarget(address, LENGTH));
  assertEquals(taken, [0, 4, 60, 64]);
  assertEquals(isJumpTarget(0, 0), true);
  assertEquals(isJumpTarget(4, 0), false);
});

Deno.test("isInstructionAddress() is isJumpTarget() without the end of the code", () => {
  assertEquals(ADDRESSES.filter((address) => isInstructionAddress(address, LENGTH)), [0, 4, 60]);
});

Deno.test("jumpTargetSource() decides as isJumpTarget() does, for every sample address", () => {
  const test = new Function("t", `return ${jumpTargetSource("t", LENGTH)};`) as (t: number) => boolean;
  for (const address of [...ADDRESSES, 8, 12, 16, 20, 24, 28, 32, 36, 40]) {
    assertEquals(test(address), isJumpTarget(address, LENGTH), `${address}`);
  }
});
