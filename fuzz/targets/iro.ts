/**
 * Mutated `.iro` files → decodeIro(): it rejects with a one-line message or accepts a program that then
 * runs on both tiers to a clean end within a budget. The files start as encodeIro() of valid programs
 * (the examples and random sources that assemble), then get bit flips, byte edits, truncations, extra
 * bytes, or edited length and entry fields.
 */
import { decodeIro } from "../../src/bytecode/loader.ts";
import type { Program } from "../../src/bytecode/program.ts";
import {
  CODE_LENGTH_OFFSET,
  ENTRY_OFFSET,
  HEADER_SIZE,
  RODATA_LENGTH_OFFSET,
} from "../../src/bytecode/format.ts";
import { encodeIro } from "../../src/bytecode/writer.ts";
import { OPCODES } from "../../src/isa/opcodes.ts";
import { randomSource } from "../assembly.ts";
import { assembleProgram, readExamples } from "../examples.ts";
import { check, checkNoLeak, type FuzzTarget, show } from "../harness.ts";
import { Random } from "../random.ts";
import { runOnBothTiers } from "../run_both.ts";

const BUDGET = 5_000;
/** Random sources tried when building the base corpus (those that assemble are kept). */
const CORPUS_ATTEMPTS = 600;
const FIELDS = [RODATA_LENGTH_OFFSET, CODE_LENGTH_OFFSET, ENTRY_OFFSET];

/** `bytes` with one to four random edits. */
export function mutateIro(random: Random, original: Uint8Array): Uint8Array {
  let bytes = original.slice();
  const edits = random.chance(0.5) ? 1 : random.range(2, 4);
  for (let i = 0; i < edits; i++) {
    const view = () => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    switch (random.int(7)) {
      case 0: // flip a bit anywhere
        if (bytes.length > 0) bytes[random.int(bytes.length)] ^= 1 << random.int(8);
        break;
      case 1: { // a new byte in the code: an opcode or operand byte
        const start = Math.min(bytes.length, HEADER_SIZE);
        const value = random.int(random.chance(0.5) ? 256 : OPCODES.length); // often a known opcode or register
        if (bytes.length > start) bytes[start + random.int(bytes.length - start)] = value;
        break;
      }
      case 2: // truncate
        bytes = bytes.slice(0, random.int(bytes.length + 1));
        break;
      case 3: { // extra bytes at the end
        const grown = new Uint8Array(bytes.length + random.range(1, 9));
        grown.set(bytes);
        grown.set(random.bytes(grown.length - bytes.length), bytes.length);
        bytes = grown;
        break;
      }
      case 4: // a length or entry field set to a boundary or random value
      case 5: {
        if (bytes.length < HEADER_SIZE) break;
        const field = random.pick(FIELDS);
        const current = view().getUint32(field, true);
        const value = random.pick([
          0,
          1,
          4,
          current + 4,
          current - 4,
          current + random.range(-3, 3),
          0xffffffff,
          0x80000000,
          0xfffffffc,
          bytes.length,
          random.int(2 ** 32),
        ]);
        view().setUint32(field, value >>> 0, true);
        break;
      }
      default: // a header byte
        if (bytes.length > 0) bytes[random.int(Math.min(bytes.length, HEADER_SIZE))] = random.int(256);
    }
  }
  return bytes;
}

/** The `.iro` target. */
export const IRO_TARGET: FuzzTarget<{ corpus: Program[] }> = {
  name: "iro",
  property: "decodeIro() never throws; rejections are one line; accepted files run cleanly on both tiers",
  async setup() {
    const corpus: Program[] = [];
    for (const source of (await readExamples()).values()) corpus.push(assembleProgram(source)!);
    const random = new Random(0x1e0);
    for (let i = 0; i < CORPUS_ATTEMPTS; i++) {
      const program = assembleProgram(randomSource(random));
      if (program && program.code.length > 0) corpus.push(program);
    }
    return { corpus };
  },
  run(random, { corpus }) {
    const bytes = mutateIro(random, encodeIro(random.pick(corpus)));
    let decoded;
    try {
      decoded = decodeIro(bytes);
    } catch (error) {
      check(false, `decodeIro() threw ${(error as Error).stack ?? error}`, bytes);
    }
    if (!decoded.ok) {
      const message = decoded.error;
      check(typeof message === "string" && message.length > 0, "a rejection without a message", bytes);
      check(!message.includes("\n"), `a rejection over several lines: ${show(message)}`, bytes);
      check(/^[a-z]/.test(message), `message style: ${show(message)}`, bytes);
      checkNoLeak(message, "the rejection", bytes);
      return "rejected";
    }
    return runOnBothTiers(decoded.program, BUDGET, bytes).status;
  },
  async teardown() {},
};
