/**
 * The assembler's directives. Section directives `.data` and `.code`; the `.data` (constant) directives, each
 * of which turns its operands into read-only bytes (docs/language.md), plus `.bytes`, which the disassembler
 * uses to reproduce read-only data that is neither a string nor a number exactly; and `.entry`.
 */
import type { Token } from "./lexer.ts";

/** Directives that switch sections. */
export const SECTION_DIRECTIVES = ["data", "code"] as const;

/**
 * `.entry @label`: the program starts at that code label instead of at 0x0000 (the `.iro` header's entry
 * point, docs/bytecode.md). It may appear once, in any section; the label must be on an instruction. It emits
 * no bytes, and is an error when extending a program (the REPL), whose entry is fixed. The disassembler
 * prints it whenever a program's entry is not 0.
 */
export const ENTRY_DIRECTIVE = "entry";

/** A constant's bytes, or a problem with one of its operands. */
export type ConstantResult =
  | { ok: true; bytes: Uint8Array }
  | {
    ok: false;
    token?: Token;
    message: string;
    /** Further problems with later operands (`.bytes #256 #-1` reports both). */
    more?: { token: Token; message: string }[];
  };

/** One constant directive: what it takes and how it encodes. */
interface ConstantDirective {
  /** How the operands read, for messages. */
  readonly usage: string;
  encode(operands: readonly Token[]): ConstantResult;
}

const I32_MIN = -0x8000_0000, I32_MAX = 0x7fff_ffff, U32_MAX = 0xffff_ffff;

/** The operand's value as i32 bits when it is an integer that fits: any i32, or hex up to 0xFFFFFFFF. */
export function i32Bits(token: Token): number | undefined {
  if (token.kind !== "integer") return undefined;
  const { value, hex } = token;
  if (value >= I32_MIN && value <= I32_MAX) return value | 0;
  if (hex && value >= 0 && value <= U32_MAX) return value | 0;
  return undefined;
}

/** Message for an integer that does not fit 32 bits. */
export function i32RangeMessage(token: Token): string {
  return `value out of range: expected ${I32_MIN}..${I32_MAX} (or hex up to 0xFFFFFFFF), found ${
    token.text.slice(1)
  }`;
}

const wrongCount = (name: string, usage: string, found: number): ConstantResult => ({
  ok: false,
  message: `wrong operand count for '.${name}': expected ${usage}, found ${found}`,
});
const wrongKind = (token: Token, expected: string): ConstantResult => ({
  ok: false,
  token,
  message: `wrong operand kind: expected ${expected}, found '${token.text}'`,
});

const encoder = new TextEncoder();

/** Constant directives by lower-case name. */
export const CONSTANT_DIRECTIVES: ReadonlyMap<string, ConstantDirective> = new Map<string, ConstantDirective>(
  [
    ["asciiz", {
      usage: "one string",
      encode(operands) {
        if (operands.length !== 1) return wrongCount("asciiz", this.usage, operands.length);
        const [token] = operands;
        if (token.kind !== "string") return wrongKind(token, "a string");
        const text = encoder.encode(token.value);
        const bytes = new Uint8Array(text.length + 1);
        bytes.set(text);
        return { ok: true, bytes };
      },
    }],
    ["integer", {
      usage: "one integer",
      encode(operands) {
        if (operands.length !== 1) return wrongCount("integer", this.usage, operands.length);
        const [token] = operands;
        if (token.kind !== "integer") return wrongKind(token, "an integer");
        const bits = i32Bits(token);
        if (bits === undefined) return { ok: false, token, message: i32RangeMessage(token) };
        const bytes = new Uint8Array(4);
        new DataView(bytes.buffer).setInt32(0, bits, true);
        return { ok: true, bytes };
      },
    }],
    ["float", {
      usage: "one number",
      encode(operands) {
        if (operands.length !== 1) return wrongCount("float", this.usage, operands.length);
        const [token] = operands;
        if (token.kind !== "float" && token.kind !== "integer") return wrongKind(token, "a number");
        const bytes = new Uint8Array(8);
        new DataView(bytes.buffer).setFloat64(0, token.value, true);
        return { ok: true, bytes };
      },
    }],
    ["bytes", {
      usage: "one or more integers 0..255",
      encode(operands) {
        if (operands.length === 0) return wrongCount("bytes", this.usage, 0);
        const bytes = new Uint8Array(operands.length);
        const problems: { token: Token; message: string }[] = [];
        for (const [i, token] of operands.entries()) {
          if (token.kind !== "integer") {
            problems.push({
              token,
              message: `wrong operand kind: expected an integer, found '${token.text}'`,
            });
          } else if (token.value < 0 || token.value > 255) {
            problems.push({ token, message: `value out of range: expected 0..255, found ${token.value}` });
          } else {
            bytes[i] = token.value;
          }
        }
        if (problems.length === 0) return { ok: true, bytes };
        const [first, ...more] = problems;
        return { ok: false, ...first, more };
      },
    }],
  ],
);

/** Every directive name, for "did you mean" suggestions. */
export const DIRECTIVE_NAMES: readonly string[] = [
  ...SECTION_DIRECTIVES,
  ...CONSTANT_DIRECTIVES.keys(),
  ENTRY_DIRECTIVE,
];
