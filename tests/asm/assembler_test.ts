/**
 * The assembler's encoding: operand shapes, labels, sections, load expansion, bases (the REPL).
 * Mutations checked: `load $r @label` giving the label's address + 4, or taking only code labels, fails the
 * label-address tests; accepting a label at 0x10000 fails the 16-bit limit test.
 */
import { assert, assertEquals } from "../assert.ts";
import { assemble, type AssembleResult } from "../../src/asm/assembler.ts";
import type { SymbolTable } from "../../src/bytecode/program.ts";

type Assembled = Extract<AssembleResult, { ok: true }>;

/** Assembles `source`, which must succeed. */
function ok(source: string, options?: Parameters<typeof assemble>[1]): Assembled {
  const result = assemble(source, options);
  if (!result.ok) {
    throw new Error(result.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join("\n"));
  }
  return result;
}

/** The code as one array per 4-byte instruction. */
const instructions = (code: Uint8Array) =>
  Array.from({ length: code.length / 4 }, (_, i) => [...code.subarray(i * 4, i * 4 + 4)]);

const addressOf = (symbols: SymbolTable, name: string) => symbols.get(name)?.address;

Deno.test("assemble() encodes each instruction as 4 bytes by operand shape", () => {
  const { code, rodata, entry } = ok("load $1 #500\nadd $1 $2 $3\nshl $4 #31\nhlt");
  assertEquals(instructions(code), [[0, 1, 1, 244], [1, 1, 2, 3], [33, 4, 0, 31], [5, 0, 0, 0]]);
  assertEquals(rodata.length, 0);
  assertEquals(entry, 0);
});

Deno.test("assemble() resolves forward references to code labels", () => {
  const { code, symbols } = ok("  djmpe @end\n  call @sub\nend: hlt\nsub: ret");
  assertEquals(instructions(code), [[20, 0, 8, 0], [46, 0, 12, 0], [5, 0, 0, 0], [47, 0, 0, 0]]);
  assertEquals(addressOf(symbols, "end"), 8);
  assertEquals(symbols.get("sub"), { name: "sub", section: "code", address: 12 });
});

Deno.test("assemble() lets a label stand alone on its line to label the next statement", () => {
  const { code, symbols } = ok("nop\ntop:\n\n  ; a comment\n  inc $0\n  djmpe @top");
  assertEquals(addressOf(symbols, "top"), 4);
  assertEquals(instructions(code)[2], [20, 0, 4, 0]);
  const data = ok(".data\nmsg:\n  .asciiz 'hi'\n.code\nprts @msg");
  assertEquals(addressOf(data.symbols, "msg"), 0);
});

Deno.test("assemble() lays out .data constants and the instructions that read them", () => {
  const source = [
    ".data",
    "greeting: .asciiz 'hé\\n' ; UTF-8, then a zero",
    "answer: .integer #-2",
    "big: .integer #0xFFFFFFFF",
    "pi: .float #3.25",
    "raw: .bytes #1 #0x02 #255",
    ".code",
    "prts @greeting",
    "ldi $1 @answer",
    "ldf64 $2 @pi",
    "hlt",
  ].join("\n");
  const { code, rodata, symbols } = ok(source);
  const expected = [0x68, 0xc3, 0xa9, 0x0a, 0, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
  const pi = new Uint8Array(8);
  new DataView(pi.buffer).setFloat64(0, 3.25, true);
  assertEquals([...rodata], [...expected, ...pi, 1, 2, 255]);
  assertEquals(
    ["greeting", "answer", "big", "pi", "raw"].map((name) => addressOf(symbols, name)),
    [0, 5, 9, 13, 21],
  );
  assertEquals(instructions(code), [[21, 0, 0, 0], [48, 1, 0, 5], [49, 2, 0, 13], [5, 0, 0, 0]]);
});

Deno.test("assemble() reads both quote kinds, every escape, and ';' inside strings", () => {
  const { rodata } = ok(`.data\na: .asciiz "it's; \\"x\\"" ; comment\nb: .asciiz 'a\\tb\\\\c\\'\\0d'`);
  assertEquals(new TextDecoder().decode(rodata), `it's; "x"\0a\tb\\c'\0d\0`);
});

Deno.test("assemble() treats a file without sections as all code, and allows switching back", () => {
  assertEquals(ok("hlt").code.length, 4);
  const { code, rodata, symbols } = ok(
    ".code\nnop\n.data\nx: .integer #1\n.code\nret\n.data\ny: .integer #2",
  );
  assertEquals(instructions(code), [[16, 0, 0, 0], [47, 0, 0, 0]]);
  assertEquals(rodata.length, 8);
  assertEquals(addressOf(symbols, "y"), 4);
});

Deno.test("assemble() accepts mnemonics and directives in any case, labels case-sensitively", () => {
  const { code, symbols } = ok(".DATA\nMsg: .AsciiZ 'x'\nmsg: .asciiz 'y'\n.Code\nPRTS @Msg\nPrTs @msg\nHLT");
  assertEquals(instructions(code), [[21, 0, 0, 0], [21, 0, 2, 0], [5, 0, 0, 0]]);
  assertEquals([...symbols.keys()], ["Msg", "msg"]);
});

Deno.test("assemble() reads hex and negative integers", () => {
  assertEquals(instructions(ok("load $0 #0x2A\ncloop #0xffff").code), [[0, 0, 0, 42], [40, 0xff, 0xff, 0]]);
});

/** The value `load`/`lui` leave in register `r`, run as the VM would. */
function loadedValue(code: Uint8Array, r: number): number {
  let value = 0;
  for (const [op, reg, hi, lo] of instructions(code)) {
    assertEquals(reg, r);
    const imm = (hi << 8) | lo;
    value = op === 0 ? imm : op === 39 ? (value << 16) | imm : NaN;
  }
  return value | 0;
}

const LOAD_CASES: [string, number, number][] = [
  ["0", 0, 1],
  ["65535", 65535, 1],
  ["65536", 65536, 2],
  ["-1", -1, 2],
  ["-2147483648", -2147483648, 2],
  ["2147483647", 2147483647, 2],
  ["0xFFFFFFFF", -1, 2],
  ["0x80000000", -2147483648, 2],
  ["0xFFFF", 65535, 1],
];

for (const [written, value, count] of LOAD_CASES) {
  Deno.test(`assemble() loads #${written} exactly with ${count} instruction${count > 1 ? "s" : ""}`, () => {
    const { code } = ok(`load $7 #${written}`);
    assertEquals(code.length, count * 4);
    assertEquals(loadedValue(code, 7), value);
  });
}

Deno.test("assemble() loads a label's address with load $r @label: code offset or read-only offset", () => {
  const { code } = ok(
    ".data\na: .asciiz 'xy'\nb: .integer #1\n.code\nload $1 @b\nload $2 @end\nload $3 @a\nend: hlt",
  );
  assertEquals(instructions(code), [[0, 1, 0, 3], [0, 2, 0, 12], [0, 3, 0, 0], [5, 0, 0, 0]]);
});

Deno.test("assemble() with a base loads the address of a label of the base", () => {
  const first = ok(".data\nmsg: .asciiz 'hi'\n.code\nstart: nop\nnop");
  const base = { codeLength: first.code.length, rodataLength: first.rodata.length, symbols: first.symbols };
  const { code } = ok("load $4 @start\nload $5 @msg\nhere: load $6 @here", { base, file: "t" } as never);
  assertEquals(instructions(code), [[0, 4, 0, 0], [0, 5, 0, 0], [0, 6, 0, 16]]);
});

Deno.test("assemble() reports a load of a label at 0x10000, past what 16 bits hold", () => {
  // A full read-only section: 65,535 letters and the terminator; `end` labels the byte after it.
  const result = assemble(`.data\ntext: .asciiz '${"x".repeat(0xffff)}'\nend:\n.code\nload $1 @end\nhlt`);
  assert(!result.ok);
  assertEquals(result.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`), [
    "5:9 label 'end' is at 0x10000, past the 16-bit limit",
  ]);
});

Deno.test("assemble() shifts the labels after an expanded load", () => {
  const { code, symbols } = ok("djmpe @after\nload $1 #-5\nafter: hlt");
  assertEquals(addressOf(symbols, "after"), 12);
  assertEquals(instructions(code)[0], [20, 0, 12, 0]);
});

Deno.test("assemble() with a base appends after it and resolves labels across calls", () => {
  const first = ok("start: load $0 #1\nloop: inc $0");
  const second = ok("djmpe @loop\nagain: djmpe @start", {
    base: { codeLength: first.code.length, rodataLength: first.rodata.length, symbols: first.symbols },
  });
  assertEquals(instructions(second.code), [[20, 0, 4, 0], [20, 0, 0, 0]]);
  assertEquals(addressOf(second.symbols, "again"), 12);
  assertEquals([...second.symbols.keys()], ["start", "loop", "again"]);
  assertEquals([...first.symbols.keys()], ["start", "loop"], "the base's table is not changed");

  const data = ok(".data\nmsg: .asciiz 'hi'\n.code\nprts @msg\nprts @old", {
    base: {
      codeLength: 8,
      rodataLength: 5,
      symbols: new Map([["old", { name: "old", section: "rodata", address: 0 }]]),
    },
  });
  assertEquals([...data.rodata], [104, 105, 0]);
  assertEquals(instructions(data.code), [[21, 0, 5, 0], [21, 0, 0, 0]]);
  assertEquals(data.symbols.get("msg"), { name: "msg", section: "rodata", address: 5 });
});

Deno.test("assemble() with a base rejects redefining one of its labels", () => {
  const base = {
    codeLength: 4,
    rodataLength: 0,
    symbols: new Map([["loop", { name: "loop", section: "code" as const, address: 0 }]]),
  };
  const result = assemble("loop: hlt", { base });
  assert(!result.ok);
  assertEquals(result.diagnostics.map((d) => d.message), [
    "duplicate label 'loop' (already defined in the program)",
  ]);
});

Deno.test("assemble() with a base lets a label typed alone label the next line's instruction", () => {
  const first = ok("nop\nhere:");
  assertEquals(addressOf(first.symbols, "here"), 4);
  const second = ok("djmpe @here", { base: { codeLength: 4, rodataLength: 0, symbols: first.symbols } });
  assertEquals(instructions(second.code), [[20, 0, 4, 0]]);
});

Deno.test("assemble() of an empty or comment-only source gives an empty program", () => {
  const { code, rodata, symbols } = ok("; nothing\n\n   \n");
  assertEquals([code.length, rodata.length, symbols.size], [0, 0, 0]);
});

Deno.test("assemble() accepts CRLF line endings", () => {
  assertEquals(instructions(ok("nop\r\nhlt\r\n").code), [[16, 0, 0, 0], [5, 0, 0, 0]]);
});

Deno.test("assemble() sets the entry point from .entry, in any section, before or after its label", () => {
  assertEquals(ok("nop\nmain: hlt\n.entry @main").entry, 4);
  assertEquals(ok(".ENTRY @main\nnop\nnop\nmain: hlt").entry, 8, "forward reference, any case");
  assertEquals(ok(".data\n.entry @go\nm: .asciiz 'x'\n.code\nnop\ngo: prts @m").entry, 4);
  assertEquals(ok("start: .entry @start\n  nop").entry, 0, "a label on .entry labels the next statement");
  const pending = ok("nop\nhere:\n.entry @here\n  load $1 #-1\nafter: hlt");
  assertEquals([pending.entry, pending.code.length, addressOf(pending.symbols, "after")], [4, 16, 12]);
  const data = ok(".data\nn:\n.entry @go\n  .integer #1\n.code\ngo: ldi $0 @n");
  assertEquals([data.entry, data.rodata.length], [0, 4], "a pending label carries past .entry to a constant");
  assertEquals(ok("nop").entry, 0);
});

Deno.test("assemble() with a base rejects .entry: the program's entry point is fixed", () => {
  const result = assemble("nop\n  .entry @x\nx: hlt", {
    base: { codeLength: 4, rodataLength: 0, symbols: new Map() },
  });
  assert(!result.ok);
  assertEquals(result.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`), [
    "2:3 '.entry' is not available here: the program's entry point is already fixed",
  ]);
});

Deno.test("assemble() reads tabs, carriage returns, leading zeros and mixed-case names as their plain forms", () => {
  const plain = ok("_a1: load $1 #7\nx_2: LOAD $31 #0x2a ; comment\njmp $1\n.data\nmsg: .asciiz 'a;b'");
  const odd = ok(
    "_a1:\tload\t$01 #007\r\n  x_2:\tLOAD $031 #0X2A;comment\r\n\tjmp\t$1\r\n.DATA\nmsg:.asciiz 'a;b'",
  );
  assertEquals(instructions(odd.code), instructions(plain.code));
  assertEquals([...odd.rodata], [...plain.rodata]);
  assertEquals([...odd.symbols.keys()], ["_a1", "x_2", "msg"]);
});
