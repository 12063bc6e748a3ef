import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { assemble } from "../../src/asm/assembler.ts";
import { disassemble } from "../../src/asm/disassembler.ts";
import type { Program } from "../../src/bytecode/program.ts";

/** Assembles `source`, which must succeed, as a Program. */
function programOf(source: string): Program & { symbols: ReturnType<typeof symbolsOf> } {
  const result = assemble(source);
  if (!result.ok) {
    throw new Error(result.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join("\n"));
  }
  return { code: result.code, rodata: result.rodata, entry: result.entry, symbols: result.symbols };
}
function symbolsOf(source: string) {
  const result = assemble(source);
  assert(result.ok);
  return result.symbols;
}

/** Disassembles and reassembles `program`, asserting identical bytes and entry; returns the text. */
function roundTrip(program: Program, options?: Parameters<typeof disassemble>[1]): string {
  const text = disassemble(program, options);
  const again = assemble(text, { file: "disassembly" });
  if (!again.ok) {
    throw new Error(`${text}\n${again.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join("\n")}`);
  }
  assertEquals([...again.rodata], [...program.rodata], text);
  assertEquals([...again.code], [...program.code], text);
  assertEquals(again.entry, program.entry, text);
  return text;
}

const SOURCE = [
  ".data",
  "msg: .asciiz 'Hello, \"world\"\\n\\ttab \\\\ done'",
  "n: .integer #-42",
  "x: .float #-0.0",
  ".code",
  "start: load $0 #100000",
  "  prts @msg",
  "  ldi $1 @n",
  "  ldf64 $2 @x",
  "  cloop #3",
  "again: loop @again",
  "  djmpe @start",
  "  call @end",
  "end: hlt",
].join("\n");

Deno.test("disassemble() prints sections, constants and synthesized labels", () => {
  const text = roundTrip(programOf(SOURCE));
  assertEquals(
    text,
    [
      ".data",
      'd_0000: .asciiz "Hello, \\"world\\"\\n\\ttab \\\\ done"',
      "d_001b: .integer #-42",
      "d_001f: .float #-0.0",
      ".code",
      "L_0000:",
      "    load $0 #1",
      "    lui $0 #34464",
      "    prts @d_0000",
      "    ldi $1 @d_001b",
      "    ldf64 $2 @d_001f",
      "    cloop #3",
      "L_0018:",
      "    loop @L_0018",
      "    djmpe @L_0000",
      "    call @L_0024",
      "L_0024:",
      "    hlt",
      "",
    ].join("\n"),
  );
});

Deno.test("disassemble() uses the symbol table's names when given", () => {
  const program = programOf(SOURCE);
  const text = roundTrip(program, { symbols: program.symbols });
  assertStringIncludes(text, "msg: .asciiz");
  assertStringIncludes(text, "again:\n    loop @again\n    djmpe @start\n");
});

Deno.test("disassemble() keeps a load that fits 16 bits followed by lui as two instructions", () => {
  const text = roundTrip(programOf("load $3 #7\nlui $3 #9\nload $4 #65535"));
  assertEquals(text, "    load $3 #7\n    lui $3 #9\n    load $4 #65535\n");
});

Deno.test("disassemble() with addresses prefixes each instruction and constant", () => {
  const text = disassemble(programOf(".data\ns: .asciiz 'x'\n.code\nadd $0 $1 $2\ndiv $0 $1 $2\nprts @s"));
  assertStringIncludes(text, "    div $0 $1 $2");
  const listed = disassemble(programOf(".data\ns: .asciiz 'x'\n.code\nadd $0 $1 $2\ndiv $0 $1 $2\nprts @s"), {
    addresses: true,
  });
  assertEquals(
    listed,
    '.data\n0x0000  d_0000: .asciiz "x"\n.code\n0x0000  add $0 $1 $2\n0x0004  div $0 $1 $2\n0x0008  prts @d_0000\n',
  );
});

Deno.test("disassemble() reproduces read-only bytes that are not text exactly", () => {
  const rodata = new Uint8Array([
    0xff,
    0xfe,
    0, // invalid UTF-8
    1,
    2,
    13,
    0, // control characters
    0xef,
    0xbb,
    0xbf,
    0x61,
    0, // a byte order mark stays
    ...new Array(40).fill(7), // a long run without a terminator
  ]);
  const text = roundTrip({ rodata, code: new Uint8Array([5, 0, 0, 0]), entry: 0 });
  assertStringIncludes(text, ".bytes #255 #254 #0");
  assertStringIncludes(text, '.asciiz "\ufeffa"');
});

Deno.test("disassemble() falls back to bytes for floats that have no literal", () => {
  const rodata = new Uint8Array(16);
  new DataView(rodata.buffer).setFloat64(0, NaN, true);
  new DataView(rodata.buffer).setFloat64(8, -Infinity, true);
  const code = new Uint8Array([49, 0, 0, 0, 49, 1, 0, 8]);
  roundTrip({ rodata, code, entry: 0 });
});

Deno.test("disassemble() of an empty program is empty", () => {
  assertEquals(disassemble({ rodata: new Uint8Array(), code: new Uint8Array(), entry: 0 }), "");
});

Deno.test("disassemble() prints a nonzero entry as .entry, synthesizing a label for it", () => {
  const code = new Uint8Array([16, 0, 0, 0, 16, 0, 0, 0, 5, 0, 0, 0]);
  const text = roundTrip({ rodata: new Uint8Array(), code, entry: 8 });
  assertEquals(text, ".entry @L_0008\n    nop\n    nop\nL_0008:\n    hlt\n");
  const zero = roundTrip({ rodata: new Uint8Array(), code, entry: 0 });
  assertEquals(zero.includes(".entry"), false, "entry 0 is the default and prints nothing");
});

Deno.test("disassemble() names the entry with an existing label, before the sections", () => {
  const source = ".data\nm: .asciiz 'x'\n.code\nsub: ret\nmain: call @sub\n  prts @m\n  hlt\n.entry @main";
  const program = programOf(source);
  assertEquals(program.entry, 4);
  const text = roundTrip(program, { symbols: program.symbols });
  assertEquals(text.split("\n").slice(0, 2), [".entry @main", ".data"]);
  assertStringIncludes(roundTrip(program), "L_0004:\n    call @L_0000\n");
  assertStringIncludes(roundTrip(program), ".entry @L_0004\n");
});
