import { assert, assertEquals } from "../assert.ts";
import { decodeIro } from "../../src/bytecode/loader.ts";
import { encodeIro } from "../../src/bytecode/writer.ts";
import { verifyCode } from "../../src/bytecode/verify.ts";
import type { Program } from "../../src/bytecode/program.ts";
import { HEADER_SIZE } from "../../src/bytecode/format.ts";
import { OPCODES } from "../../src/isa/opcodes.ts";

/** A small valid program: `s: .asciiz 'hi'`, `n: .integer #7`; `prts @s`, `ldi $1 @n`, `djmpe @end`, `end: hlt`. */
const PROGRAM: Program = {
  rodata: new Uint8Array([104, 105, 0, 7, 0, 0, 0]),
  code: new Uint8Array([21, 0, 0, 0, 48, 1, 0, 3, 20, 0, 12, 0, 5, 0, 0, 0]),
  entry: 0,
};

const errorOf = (bytes: Uint8Array): string => {
  const result = decodeIro(bytes);
  assert(!result.ok, "expected the file to be rejected");
  return result.error;
};

/** The encoded PROGRAM with `change` applied to a copy of its bytes. */
const patched = (change: (bytes: Uint8Array, view: DataView) => void, program = PROGRAM): Uint8Array => {
  const bytes = encodeIro(program);
  change(bytes, new DataView(bytes.buffer));
  return bytes;
};

/** PROGRAM with one code byte replaced. */
const withCodeByte = (offset: number, value: number): Program => {
  const code = PROGRAM.code.slice();
  code[offset] = value;
  return { ...PROGRAM, code };
};

Deno.test("encodeIro() writes the 64-byte header, then read-only data, then code", () => {
  const bytes = encodeIro(PROGRAM);
  assertEquals(bytes.length, HEADER_SIZE + 7 + 16);
  assertEquals([...bytes.subarray(0, 20)], [69, 80, 73, 69, 1, 0, 0, 0, 7, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0]);
  assert(bytes.subarray(20, 64).every((byte) => byte === 0));
  assertEquals([...bytes.subarray(64, 71)], [...PROGRAM.rodata]);
  assertEquals([...bytes.subarray(71)], [...PROGRAM.code]);
});

Deno.test("decodeIro() reads back what encodeIro() wrote", () => {
  const result = decodeIro(encodeIro(PROGRAM));
  assert(result.ok);
  assertEquals(result.program, PROGRAM);
  const empty = decodeIro(encodeIro({ rodata: new Uint8Array(), code: new Uint8Array(), entry: 0 }));
  assert(empty.ok, "an empty program is a valid file");
});

Deno.test("decodeIro() rejects a file shorter than the header", () => {
  assertEquals(errorOf(new Uint8Array(10)), "truncated file: expected a 64-byte header, found 10 bytes");
});

Deno.test("decodeIro() rejects bad magic, showing what it found", () => {
  assertEquals(
    errorOf(patched((bytes) => bytes.set([0x7f, 0x45, 0x4c, 0x46]))),
    'bad magic at offset 0: expected "EPIE", found 0x7f 0x45 0x4c 0x46',
  );
  assertEquals(
    errorOf(patched((bytes) => bytes.set([0x45, 0x50, 0x49, 0x4f]))),
    'bad magic at offset 0: expected "EPIE", found "EPIO"',
  );
});

Deno.test("decodeIro() rejects an unknown version and nonzero reserved bytes", () => {
  assertEquals(
    errorOf(patched((bytes) => bytes[4] = 2)),
    "unsupported version at offset 4: expected 1, found 2",
  );
  assertEquals(
    errorOf(patched((bytes) => bytes[6] = 1)),
    "nonzero reserved byte at offset 6: expected 0, found 1",
  );
  assertEquals(
    errorOf(patched((bytes) => bytes[63] = 9)),
    "nonzero reserved byte at offset 63: expected 0, found 9",
  );
});

Deno.test("decodeIro() rejects section lengths that do not match the file size exactly", () => {
  const bytes = encodeIro(PROGRAM);
  assertEquals(
    errorOf(bytes.subarray(0, bytes.length - 1)),
    "truncated file: header says 16 bytes of code at offset 71, file has 86",
  );
  assertEquals(
    errorOf(patched((_, view) => view.setUint32(8, 1000, true))),
    "truncated file: header says 1000 bytes of read-only data at offset 64, file has 87",
  );
  assertEquals(
    errorOf(patched((_, view) => view.setUint32(12, 0xffff_fff0, true))),
    "truncated file: header says 4294967280 bytes of code at offset 71, file has 87",
  );
  const longer = new Uint8Array(bytes.length + 3);
  longer.set(bytes);
  assertEquals(errorOf(longer), "trailing bytes: header says the file ends at offset 87, file has 90");
});

Deno.test("decodeIro() rejects code whose length is not a multiple of 4", () => {
  const odd = { ...PROGRAM, code: PROGRAM.code.subarray(0, 14) };
  assertEquals(errorOf(encodeIro(odd)), "code length is not a multiple of 4: found 14");
});

Deno.test("decodeIro() rejects an entry point outside the code or unaligned", () => {
  for (const entry of [16, 2, 0x1000]) {
    assertEquals(
      errorOf(encodeIro({ ...PROGRAM, entry })),
      `entry point 0x${
        entry.toString(16).padStart(4, "0")
      } is not an instruction of the code (length 0x0010)`,
    );
  }
});

Deno.test("decodeIro() rejects unknown opcodes with their code offset", () => {
  assertEquals(errorOf(encodeIro(withCodeByte(8, 0x7f))), "unknown opcode 0x7f at code offset 0x0008");
  // The first byte past the table.
  const first = OPCODES.length, hex = first.toString(16).padStart(2, "0");
  assertEquals(errorOf(encodeIro(withCodeByte(12, first))), `unknown opcode 0x${hex} at code offset 0x000c`);
});

Deno.test("decodeIro() rejects registers from 32 up", () => {
  assertEquals(
    errorOf(encodeIro(withCodeByte(5, 32))),
    "register out of range at code offset 0x0004 (ldi operand 1): expected 0..31, found 32",
  );
  const code = new Uint8Array([3, 1, 2, 255]);
  assertEquals(
    errorOf(encodeIro({ rodata: new Uint8Array(), code, entry: 0 })),
    "register out of range at code offset 0x0000 (mul operand 3): expected 0..31, found 255",
  );
});

Deno.test("decodeIro() rejects jump, call and loop targets outside the code or unaligned", () => {
  const jumps = OPCODES.filter((op) => op.operands.includes("code"));
  assertEquals(jumps.map((op) => op.mnemonic), ["djmpe", "loop", "call", "djmp"]);
  for (const { byte, mnemonic } of jumps) {
    for (const target of [16, 6, 0xffff]) {
      const code = PROGRAM.code.slice();
      code.set([byte, target >> 8, target & 0xff, 0], 8);
      const hex = `0x${target.toString(16).padStart(4, "0")}`;
      assertEquals(
        errorOf(encodeIro({ ...PROGRAM, code })),
        `jump target ${hex} outside the code at code offset 0x0008 (${mnemonic} operand 1): expected an instruction below 0x0010`,
      );
    }
  }
});

Deno.test("decodeIro() rejects read-only references past the section, counting ldi and ldf64 widths", () => {
  const prts = withCodeByte(2, 7);
  assertEquals(
    errorOf(encodeIro(prts)),
    "read-only offset 0x0007 outside the read-only data at code offset 0x0000 (prts operand 1): 1 byte needed, the section has 7",
  );
  assertEquals(
    errorOf(encodeIro(withCodeByte(7, 4))),
    "read-only offset 0x0004 outside the read-only data at code offset 0x0004 (ldi operand 2): 4 bytes needed, the section has 7",
  );
  const ldf64 = withCodeByte(4, 49);
  assertEquals(
    errorOf(encodeIro({ ...ldf64, code: ldf64.code.map((b, i) => i === 7 ? 0 : b) })),
    "read-only offset 0x0000 outside the read-only data at code offset 0x0004 (ldf64 operand 2): 8 bytes needed, the section has 7",
  );
});

Deno.test("verifyCode() rejects shift amounts past 31 and nonzero padding", () => {
  const shift = { rodata: new Uint8Array(), code: new Uint8Array([33, 1, 0, 32]), entry: 0 };
  assertEquals(
    verifyCode(shift),
    "shift amount out of range at code offset 0x0000 (shl operand 2): expected 0..31, found 32",
  );
  const padding = { rodata: new Uint8Array(), code: new Uint8Array([16, 0, 0, 0, 5, 0, 1, 0]), entry: 0 };
  assertEquals(verifyCode(padding), "nonzero padding byte 0x01 at code offset 0x0004 (hlt)");
  assertEquals(verifyCode(PROGRAM), undefined);
});
