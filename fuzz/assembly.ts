/**
 * Assembly source for the fuzz targets: statements drawn from the opcode table (mostly well-formed, some
 * operands deliberately wrong), then byte-level mutations of that text and of the example programs.
 */
import { OPCODES } from "../src/isa/opcodes.ts";
import type { OperandKind } from "../src/isa/operands.ts";
import type { Random } from "./random.ts";

/** Labels a clean source defines: code labels on its lines, data labels in a `.data` prologue. */
const CODE_LABELS = ["top", "middle", "bottom"];
const DATA_LABELS = ["text", "word", "real"];
const DATA_PROLOGUE = [".data", "text: .asciiz 'hey\\n'", "word: .integer #-5", "real: .float #2.5", ".code"];
const LABELS = ["start", "loop_top", "msg", "n", "x", "_end", "data1", "L9", "Start"];
const STRINGS = ["hi\\n", "", "tab\\there", "quote\\'s", 'dq\\"', "nul\\0inside", "é ✓ 𝄞", "\\\\"];
const JUNK_TOKENS = [
  "$",
  "#",
  "@",
  "$-1",
  "$32",
  "$999999999999",
  "#0x",
  "#--1",
  "#1e400",
  "#0xFFFFFFFFFF",
  "#-2147483649",
  "#4294967296",
  "'open",
  '"open',
  "'\\q'",
  ":",
  "::",
  ".",
  ".asciiz",
  ".bogus",
  "@",
  "@nowhere",
  "\t",
  "\u0000",
  "\uFEFF",
  "\r",
  "\\",
  "$1$2",
  "#1.5.5",
  "#NaN",
  "#Infinity",
];

/** One operand of `kind`, usually in range; `wrong` makes it of another kind or out of range. */
function operand(random: Random, kind: OperandKind, wrong: boolean, clean = false): string {
  if (wrong) {
    return random.pick([...JUNK_TOKENS, "$" + random.range(0, 300), "#" + random.range(-70000, 70000)]);
  }
  switch (kind) {
    case "reg":
    case "freg":
      return `$${random.int(32)}`;
    case "imm16":
      if (random.chance(0.1)) return `#${random.range(-(2 ** 31), 2 ** 32 - 1)}`;
      if (random.chance(0.1)) return `#0x${random.int(0x10000).toString(16)}`;
      if (random.chance(0.05)) return `#${(random.next() * 100).toFixed(2)}`;
      return `#${random.pick([0, 1, 2, 4, 8, 64, 100, 65535, random.int(200)])}`;
    case "shift":
      return `#${random.int(random.chance(0.9) ? 32 : 40)}`;
    case "code":
      return `@${random.pick(clean ? CODE_LABELS : LABELS)}`;
    case "rodata":
      return `@${random.pick(clean ? DATA_LABELS : LABELS)}`;
  }
}

/**
 * One line of assembly: an instruction, a directive, a label, a section switch, a comment, or (unless
 * `clean`) junk and wrong operands.
 */
export function randomLine(random: Random, clean = false): string {
  const label = !clean && random.chance(0.15) ? `${random.pick(LABELS)}: ` : "";
  const comment = random.chance(0.1) ? " ; note" : "";
  const roll = random.next();
  if (roll < 0.7) {
    const op = random.pick(OPCODES);
    const wrongOne = !clean && random.chance(0.1) ? random.int(op.operands.length + 1) : -1;
    const operands = op.operands.map((kind, i) => operand(random, kind, i === wrongOne, clean));
    // `load $r @label`: the address of a code or a data label.
    if (op.mnemonic === "load" && wrongOne < 0 && random.chance(0.3)) {
      operands[1] = `@${random.pick(clean ? [...CODE_LABELS, ...DATA_LABELS] : LABELS)}`;
    }
    if (!clean && random.chance(0.03)) operands.push(operand(random, "reg", false));
    if (!clean && random.chance(0.03)) operands.pop();
    const mnemonic = random.chance(0.1) ? op.mnemonic.toUpperCase() : op.mnemonic;
    return `${label}${mnemonic} ${operands.join(" ")}${comment}`;
  }
  if (roll < 0.8 && !clean) {
    const text = random.pick(STRINGS);
    const directive = random.pick([
      `.asciiz '${text}'`,
      `.asciiz "${text}"`,
      `.integer #${random.range(-(2 ** 31), 2 ** 31 - 1)}`,
      `.float #${(random.next() * 1000 - 500).toFixed(3)}`,
      clean ? ".integer #7" : `.integer ${random.pick(JUNK_TOKENS)}`,
    ]);
    return `${random.chance(0.9) ? `${random.pick(LABELS)}: ` : ""}${directive}${comment}`;
  }
  if (roll < 0.87 && !clean) return random.pick([".data", ".code", ".DATA", ".code ; back"]);
  if (roll < 0.92 && !clean) return `${random.pick(LABELS)}:`;
  if (roll < 0.96 || clean) return random.pick(["", "   ", "; only a comment", "\t\t"]);
  const count = random.range(1, 4);
  return Array.from({ length: count }, () => random.pick(JUNK_TOKENS)).join(random.pick([" ", ""]));
}

/**
 * A whole source of 0..40 random lines, often ending with `hlt`. A third are clean: no junk, every label
 * defined, so that most of them assemble and run.
 */
export function randomSource(random: Random): string {
  const clean = random.chance(0.33);
  const lines = Array.from({ length: random.int(40) }, () => randomLine(random, clean));
  if (random.chance(0.5)) lines.push("hlt");
  if (clean) {
    for (const name of CODE_LABELS) lines.splice(random.int(lines.length + 1), 0, `${name}:`);
    lines.unshift(...DATA_PROLOGUE);
  }
  return lines.join(random.chance(0.1) ? "\r\n" : "\n");
}

/** `text` with a few character edits: insert, delete, replace, duplicate a span, swap two lines, cut. */
export function mutateText(random: Random, text: string): string {
  let out = text;
  const edits = random.range(1, 4);
  for (let i = 0; i < edits; i++) {
    const at = random.int(out.length + 1);
    switch (random.int(6)) {
      case 0:
        out = out.slice(0, at) + randomChar(random) + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + random.range(1, 8));
        break;
      case 2:
        out = out.slice(0, at) + randomChar(random) + out.slice(at + 1);
        break;
      case 3: {
        const span = out.slice(at, at + random.range(1, 20));
        out = out.slice(0, at) + span + span + out.slice(at + span.length);
        break;
      }
      case 4: {
        const lines = out.split("\n");
        const a = random.int(lines.length), b = random.int(lines.length);
        [lines[a], lines[b]] = [lines[b], lines[a]];
        out = lines.join("\n");
        break;
      }
      default:
        out = out.slice(0, at);
    }
  }
  return out;
}

function randomChar(random: Random): string {
  if (random.chance(0.7)) return random.pick([..."$#@:;.'\"\\ \t\n0123456789xXabz_-+"]);
  if (random.chance(0.5)) return String.fromCharCode(random.int(0x80));
  return String.fromCodePoint(random.pick([0xfeff, 0x2028, 0xd800, 0xdc00, 0x1f600, 0x7f, 0x85, 0xa0]));
}
