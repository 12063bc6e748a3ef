/**
 * Property test: random valid programs survive encode → decode and disassemble → assemble byte for byte,
 * entry point included.
 * Seeded, so a failure repeats; the seed and case number are in the failure message.
 */
import { mulberry32 } from "../../fuzz/random.ts";
import { assert, assertEquals } from "../assert.ts";
import { assemble } from "../../src/asm/assembler.ts";
import { disassemble } from "../../src/asm/disassembler.ts";
import { decodeIro } from "../../src/bytecode/loader.ts";
import type { Program } from "../../src/bytecode/program.ts";
import { encodeIro } from "../../src/bytecode/writer.ts";
import { rodataReadSize, verifyCode } from "../../src/bytecode/verify.ts";
import { encodeInstruction } from "../../src/isa/encoding.ts";
import { OPCODES } from "../../src/isa/opcodes.ts";
import { OPERAND_INFO } from "../../src/isa/operands.ts";

const SEED = 0x1d1d1d;
const CASES = 500;

const makeRandom = mulberry32;

const encoder = new TextEncoder();
const TEXTS = ["", "hi", "Hello, world!\n", "tab\there", "quote \" and ' and \\", "héllo ☃ 𝄞", "semi;colon"];

function randomRodata(random: () => number): Uint8Array {
  const int = (n: number) => Math.floor(random() * n);
  const parts: number[] = [];
  const pieces = int(6);
  for (let i = 0; i < pieces; i++) {
    switch (int(4)) {
      case 0:
        parts.push(...encoder.encode(TEXTS[int(TEXTS.length)]), 0);
        break;
      case 1:
        for (let n = int(20); n > 0; n--) parts.push(int(4) === 0 ? 0 : int(256));
        break;
      case 2: {
        const bytes = new Uint8Array(4);
        new DataView(bytes.buffer).setInt32(0, int(2 ** 32) | 0, true);
        parts.push(...bytes);
        break;
      }
      default: {
        const bytes = new Uint8Array(8);
        const view = new DataView(bytes.buffer);
        if (int(2) === 0) view.setFloat64(0, (random() - 0.5) * 10 ** int(40), true);
        else for (let b = 0; b < 8; b++) bytes[b] = int(256);
        parts.push(...bytes);
      }
    }
  }
  return Uint8Array.from(parts);
}

function randomProgram(random: () => number): Program {
  const int = (n: number) => Math.floor(random() * n);
  const rodata = randomRodata(random);
  const count = int(30);
  const code = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) {
    let op = OPCODES[int(OPCODES.length)];
    while (op.operands.includes("rodata") && rodata.length < rodataReadSize(op)) {
      op = OPCODES[int(OPCODES.length)];
    }
    const values = op.operands.map((kind) => {
      switch (kind) {
        case "code":
          return int(count) * 4;
        case "rodata":
          return int(rodata.length - rodataReadSize(op) + 1);
        case "imm16":
          return [0, 0xffff, int(0x10000)][int(3)];
        default:
          return int(OPERAND_INFO[kind].max + 1);
      }
    });
    encodeInstruction(op, values, code, i * 4);
  }
  // A third of the programs with code start somewhere other than the first instruction.
  const entry = count > 0 && int(3) === 0 ? int(count) * 4 : 0;
  return { rodata, code, entry };
}

Deno.test(`${CASES} random valid programs survive encode/decode and disassemble/assemble byte for byte, entry too`, () => {
  const random = makeRandom(SEED);
  let entries = 0;
  for (let n = 0; n < CASES; n++) {
    const program = randomProgram(random);
    const where = `seed ${SEED}, case ${n}`;
    assertEquals(verifyCode(program), undefined, where);
    const decoded = decodeIro(encodeIro(program));
    assert(decoded.ok, where);
    assertEquals(decoded.program, program, where);
    const text = disassemble(program);
    const again = assemble(text, { file: "disassembly" });
    if (!again.ok) {
      throw new Error(
        `${where}:\n${text}\n${again.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`)}`,
      );
    }
    assertEquals([...again.rodata], [...program.rodata], `${where}\n${text}`);
    assertEquals([...again.code], [...program.code], `${where}\n${text}`);
    assertEquals(again.entry, program.entry, `${where}\n${text}`);
    entries += program.entry !== 0 ? 1 : 0;
    disassemble(program, { addresses: true });
  }
  assert(entries > CASES / 5, `only ${entries} of ${CASES} programs had a nonzero entry`);
});
