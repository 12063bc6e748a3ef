/**
 * The assembler's diagnostics, each at its line and column, every error of a source reported.
 * Mutation checked: accepting `@label` as the immediate of any instruction (not only `load`) fails the
 * `lui` and `loadf64` cases.
 */
import { assert, assertEquals } from "../assert.ts";
import { assemble } from "../../src/asm/assembler.ts";
import type { Diagnostic } from "../../src/diag/diagnostic.ts";

/** Assembles `source`, which must fail; returns `LINE:COL message` for each diagnostic. */
function errorsOf(source: string): string[] {
  const result = assemble(source, { file: "t.iasm" });
  assert(!result.ok, "expected assembly errors");
  return result.diagnostics.map((d: Diagnostic) => `${d.line}:${d.col} ${d.message}`);
}

const CASES: [string, string, string][] = [
  [
    "unknown mnemonic, with a suggestion",
    "hlt\n  lod $1 #2",
    "2:3 unknown mnemonic 'lod' (did you mean 'load'?)",
  ],
  ["unknown mnemonic, without a suggestion", "frobnicate $1", "1:1 unknown mnemonic 'frobnicate'"],
  [
    "too few operands",
    "add $1 $2",
    "1:1 wrong operand count for 'add': expected 3 (a register, a register, a register), found 2",
  ],
  ["too many operands", "hlt $1", "1:5 wrong operand count for 'hlt': expected 0 (no operands), found 1"],
  ["wrong operand kind", "load #1 #2", "1:6 wrong operand kind: expected a register, found '#1'"],
  [
    "a float where an integer goes",
    "load $1 #3.5",
    "1:9 wrong operand kind: expected an integer, found '#3.5' (for a float, declare 'name: .float #3.5' " +
    "in .data and load it with 'ldf64 $r @name')",
  ],
  ["a string as an operand", "prts 'hi'", "1:6 wrong operand kind: expected a data label, found ''hi''"],
  ["imm16 past 65535", "lui $1 #65536", "1:8 value out of range: expected 0..65535, found 65536"],
  ["negative imm16", "cloop #-1", "1:7 value out of range: expected 0..65535, found -1"],
  ["loadf64 past 65535", "loadf64 $1 #70000", "1:12 value out of range: expected 0..65535, found 70000"],
  ["shift past 31", "shl $1 #32", "1:8 value out of range: expected 0..31, found 32"],
  [
    "load past i32",
    "load $1 #2147483648",
    "1:9 value out of range: expected -2147483648..2147483647 (or hex up to 0xFFFFFFFF), found 2147483648",
  ],
  [
    "hex load past 32 bits",
    "load $1 #0x100000000",
    "1:9 value out of range: expected -2147483648..2147483647 (or hex up to 0xFFFFFFFF), found 0x100000000",
  ],
  ["register past $31", "inc $32", "1:5 register out of range: expected $0..$31, found $32"],
  ["float register past $31", "prtf64 $99", "1:8 register out of range: expected $0..$31, found $99"],
  ["undefined label", "loop: nop\ndjmpe @lop", "2:7 undefined label 'lop' (did you mean 'loop'?)"],
  ["undefined label in load", "load $1 @topp\ntop: hlt", "1:9 undefined label 'topp' (did you mean 'top'?)"],
  [
    "a label where only load takes one",
    "a: lui $1 @a",
    "1:11 wrong operand kind: expected an integer, found '@a'",
  ],
  [
    "a label as loadf64's immediate",
    "a: loadf64 $1 @a",
    "1:15 wrong operand kind: expected an integer, found '@a'",
  ],
  ["duplicate label", "a: nop\n\na: hlt", "3:1 duplicate label 'a' (first defined on line 1)"],
  ["unknown directive", ".data\nx: .flaot #1.5", "2:4 unknown directive '.flaot' (did you mean '.float'?)"],
  [
    "constant without label",
    ".data\n  .integer #1",
    "2:3 constant without label: expected 'name: .integer ...'",
  ],
  ["constant outside .data", "x: .asciiz 'a'", "1:4 constant outside .data: '.asciiz' belongs after '.data'"],
  ["instruction inside .data", ".data\nhlt", "2:1 instruction inside .data: 'hlt' belongs after '.code'"],
  [
    "unterminated string",
    ".data\ns: .asciiz 'abc ; no end",
    "2:12 unterminated string: expected a closing ' before the end of the line",
  ],
  [
    "bad escape",
    '.data\ns: .asciiz "a\\qb"',
    "2:14 bad escape '\\q': expected one of \\n \\t \\\\ \\' \\\" \\0",
  ],
  [
    "code label where a data label goes",
    "start: prts @start",
    "1:13 wrong label kind: expected a data label, found code label 'start'",
  ],
  [
    "data label where a code label goes",
    ".data\nm: .asciiz 'x'\n.code\ncall @m",
    "4:6 wrong label kind: expected a code label, found data label 'm'",
  ],
  [
    "code label past the last instruction",
    "djmpe @end\nend:",
    "1:7 label 'end' is at the end of the code (0x0004), not at an instruction",
  ],
  [
    "data label with too few bytes for ldi",
    ".data\nm: .asciiz 'ab'\n.code\nldi $0 @m",
    "4:8 data label 'm' has 3 bytes after it, 'ldi' reads 4",
  ],
  ["malformed register", "inc $x", "1:5 expected a register like '$0', found '$x'"],
  ["malformed number", "cloop #12ab", "1:7 expected a number like '#42', '#0x2A' or '#3.25', found '#12ab'"],
  ["a register sign without digits", "inc $", "1:5 expected a register like '$0', found '$'"],
  [
    "a number sign without digits",
    "cloop #",
    "1:7 expected a number like '#42', '#0x2A' or '#3.25', found '#'",
  ],
  ["a register of digits then letters", "inc $1a", "1:5 expected a register like '$0', found '$1a'"],
  ["a label definition with a bad name", "1x: hlt", "1:1 expected a label name before ':', found '1x:'"],
  ["malformed label reference", "call @1x", "1:6 expected a label name after '@', found '@1x'"],
  ["an operand where the mnemonic goes", "x: $1", "1:4 expected a mnemonic or a directive, found '$1'"],
  [
    "a label after the mnemonic",
    "nop y:",
    "1:5 expected an operand, found label definition 'y:' (labels start the line)",
  ],
  ["a number without '#'", "load $1 70000", "1:9 unexpected '70000': a number needs '#', as in '#70000'"],
  [
    "commas between operands",
    "load $0, #1",
    "1:6 unexpected ',' after '$0': operands are separated by spaces",
  ],
  ["a lone comma", "load $0 , #1", "1:9 unexpected ',': operands are separated by spaces"],
  [
    "a float immediate",
    "loadf64 $0 #1.5",
    "1:12 wrong operand kind: expected an integer, found '#1.5' (for a float, declare 'name: .float #1.5' " +
    "in .data and load it with 'ldf64 $r @name')",
  ],
  [".bytes past 255", ".data\nb: .bytes #1 #256", "2:14 value out of range: expected 0..255, found 256"],
  [
    ".asciiz without a string",
    ".data\ns: .asciiz #1",
    "2:12 wrong operand kind: expected a string, found '#1'",
  ],
  [
    ".integer past 32 bits",
    ".data\ni: .integer #-2147483649",
    "2:13 value out of range: expected -2147483648..2147483647 (or hex up to 0xFFFFFFFF), found -2147483649",
  ],
  [".data with an operand", ".data #1", "1:7 wrong operand count for '.data': expected none, found 1"],
  [
    "a second .entry",
    "a: nop\n.entry @a\nb: hlt\n  .entry @b",
    "4:3 duplicate '.entry' (first on line 2)",
  ],
  [
    ".entry of an undefined label",
    ".entry @strt\nstart: hlt",
    "1:8 undefined label 'strt' (did you mean 'start'?)",
  ],
  [
    ".entry of a data label",
    ".data\nm: .asciiz 'x'\n.code\n.entry @m\nhlt",
    "4:8 wrong label kind: expected a code label, found data label 'm'",
  ],
  [
    ".entry of a label past the last instruction",
    "hlt\n.entry @end\nend:",
    "2:8 label 'end' is at the end of the code (0x0004), not at an instruction",
  ],
  [
    ".entry in a program without code",
    ".entry @x\nx:",
    "1:8 label 'x' is at the end of the code (0x0000), not at an instruction",
  ],
  [
    ".entry without a label",
    ".entry\nhlt",
    "1:1 wrong operand count for '.entry': expected one code label, found 0",
  ],
  [
    ".entry with two labels",
    "a: hlt\n.entry @a @a",
    "2:11 wrong operand count for '.entry': expected one code label, found 2",
  ],
  [
    ".entry of an address",
    ".entry #4\nnop\nhlt",
    "1:8 wrong operand kind: expected a code label, found '#4'",
  ],
  ["misspelt .entry", ".entyr @a\na: hlt", "1:1 unknown directive '.entyr' (did you mean '.entry'?)"],
];

for (const [what, source, expected] of CASES) {
  Deno.test(`assemble() reports ${what} at its line and column`, () => {
    assertEquals(errorsOf(source), [expected]);
  });
}

Deno.test("assemble() reports a code section past 16-bit addresses once", () => {
  const errors = errorsOf("nop\n".repeat(0x4000) + "nop\nnop\n");
  assertEquals(errors, [
    "16385:1 program too large: the code section would end at 0x10004, past 0x10000 " +
    "(addresses are 16-bit: at most 16384 instructions)",
  ]);
  assert(assemble("nop\n".repeat(0x4000)).ok, "exactly 0x10000 bytes of code fit");
});

Deno.test("assemble() reports read-only data past 16-bit addresses", () => {
  const errors = errorsOf(`.data\ns: .asciiz '${"x".repeat(0x10000)}'`);
  assertEquals(errors, [
    "2:4 program too large: the read-only section would end at 0x10001, past 0x10000 " +
    "(addresses are 16-bit: at most 64 KiB of read-only data)",
  ]);
});

Deno.test("assemble() reports every error of a file, in order, not just the first", () => {
  const source = [
    "start: lod $1 #2 ; typo",
    "  add $1 $2",
    "  inc $40",
    "  djmpe @nowhere",
    ".data",
    "  .asciiz 'no label'",
    "s: .asciiz 'ok'",
    "s: .integer #1",
    "  hlt",
  ].join("\n");
  assertEquals(errorsOf(source).map((error) => error.split(" ")[0]), [
    "1:8",
    "2:3",
    "3:7",
    "4:9",
    "6:3",
    "8:1",
    "9:3",
  ]);
});

Deno.test("assemble() reports a broken line once, without follow-on errors", () => {
  assertEquals(errorsOf('load $1 \'abc\nload $2 "a\\x" $3'), [
    "1:9 unterminated string: expected a closing ' before the end of the line",
    "2:11 bad escape '\\x': expected one of \\n \\t \\\\ \\' \\\" \\0",
  ]);
});

Deno.test("assemble() names the file in diagnostics, <input> by default", () => {
  const result = assemble("bogus");
  assert(!result.ok);
  assertEquals(result.diagnostics[0].file, "<input>");
  assertEquals(result.diagnostics[0].length, 5);
});

Deno.test("assemble() reports every bad value of a .bytes line, not only the first", () => {
  assertEquals(errorsOf(".data\nb: .bytes #256 #7 #-1 'x'"), [
    "2:11 value out of range: expected 0..255, found 256",
    "2:19 value out of range: expected 0..255, found -1",
    "2:23 wrong operand kind: expected an integer, found ''x''",
  ]);
});
