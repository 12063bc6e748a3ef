/**
 * The assembly lexer: one line of source to tokens with spans (docs/language.md). Lines are independent, so
 * an error costs at most the rest of its line and the assembler resynchronizes on the next one.
 */
import { type Diagnostic, diagnosticAt, type Span } from "../diag/diagnostic.ts";
import { ESCAPE_LIST, ESCAPES } from "./strings.ts";

/**
 * A token that is a name: `name:` (label, without the colon), a mnemonic `word`, a `.directive` (lower-cased,
 * without the dot), a `@name` label reference (without the `@`).
 */
export interface NameToken<K extends "label" | "word" | "directive" | "labelRef"> {
  kind: K;
  name: string;
  text: string;
  span: Span;
}

/** A token of one line. `text` is the source text; the other fields are its meaning. */
export type Token =
  | NameToken<"label">
  | NameToken<"word">
  | NameToken<"directive">
  | NameToken<"labelRef">
  /** `$n`. */
  | { kind: "register"; value: number; text: string; span: Span }
  /** `#42`, `#-7`, `#0x2A`; `hex` marks the last form, which may spell i32 bits up to 0xFFFFFFFF. */
  | { kind: "integer"; value: number; hex: boolean; text: string; span: Span }
  /** `#3.25`, `#1e-3`. */
  | { kind: "float"; value: number; text: string; span: Span }
  /** `'text'` or `"text"`, escapes decoded. */
  | { kind: "string"; value: string; text: string; span: Span };

/** Labels are case-sensitive identifiers (docs/language.md). */
export const LABEL_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INTEGER_PATTERN = /^(-?)(0x[0-9a-f]+|[0-9]+)$/i;
const FLOAT_PATTERN = /^-?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=e))(e[+-]?[0-9]+)?$/i;

/**
 * Characters as UTF-16 codes: the lexer compares codes instead of one-character strings and regular
 * expressions, and appends to the caller's diagnostics instead of building a result per line, which
 * roughly halves the time to parse W4's source (`BENCH_ONLY=assembler deno task bench:peers`).
 */
const enum Char {
  Tab = 9,
  Return = 13,
  Space = 32,
  DoubleQuote = 34,
  Quote = 39,
  Digit0 = 48,
  Digit9 = 57,
  Colon = 58,
  Semicolon = 59,
  UpperA = 65,
  UpperZ = 90,
  Underscore = 95,
  LowerA = 97,
  LowerZ = 122,
}

/** Whitespace between tokens; `;` starts a comment, quotes start a string. */
const isSpace = (code: number) => code === Char.Space || code === Char.Tab || code === Char.Return;
const endsRun = (code: number) =>
  isSpace(code) || code === Char.Semicolon || code === Char.Quote || code === Char.DoubleQuote;
const isLetter = (code: number) =>
  (code >= Char.UpperA && code <= Char.UpperZ) || (code >= Char.LowerA && code <= Char.LowerZ) ||
  code === Char.Underscore;
const isIdentifierChar = (code: number) => isLetter(code) || (code >= Char.Digit0 && code <= Char.Digit9);

const spanOf = (line: number, start: number, end: number): Span => ({
  line,
  col: start + 1,
  length: end - start,
});

/**
 * Splits `text`, line `line` of `file`, into tokens; the problems found in it are appended to
 * `diagnostics`.
 */
export function lexLine(text: string, line: number, file: string, diagnostics: Diagnostic[]): Token[] {
  const tokens: Token[] = [];
  const length = text.length;
  let at = 0;
  while (at < length) {
    const code = text.charCodeAt(at);
    if (isSpace(code)) {
      at++;
      continue;
    }
    if (code === Char.Semicolon) break;
    const start = at;
    if (code === Char.Quote || code === Char.DoubleQuote) {
      at = lexString(text, line, at, file, tokens, diagnostics);
      continue;
    }
    if (isLetter(code)) {
      while (at < length && isIdentifierChar(text.charCodeAt(at))) at++;
      if (text.charCodeAt(at) === Char.Colon) {
        at++;
        const name = text.slice(start, at - 1);
        tokens.push({ kind: "label", name, text: text.slice(start, at), span: spanOf(line, start, at) });
        continue;
      }
      if (at === length || endsRun(text.charCodeAt(at))) {
        // The whole run is a name (a mnemonic, mostly): no need for classify() to test it again.
        const name = text.slice(start, at);
        tokens.push({ kind: "word", name, text: name, span: spanOf(line, start, at) });
        continue;
      }
    }
    while (at < length && !endsRun(text.charCodeAt(at))) at++;
    const span = spanOf(line, start, at);
    const token = classify(text.slice(start, at), span);
    if (typeof token === "string") diagnostics.push(diagnosticAt(file, span, token));
    else tokens.push(token);
  }
  return tokens;
}

/** True when `text` from `from` on is one or more decimal digits. */
function allDigits(text: string, from: number): boolean {
  if (from >= text.length) return false;
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < Char.Digit0 || code > Char.Digit9) return false;
  }
  return true;
}

/** The token a run of non-space text stands for, or the message saying why it is malformed. */
function classify(text: string, span: Span): Token | string {
  // The first mistakes people make, from other assemblers: commas between operands, a number without '#'.
  if (text.length > 1 && text.endsWith(",")) {
    return `unexpected ',' after '${text.slice(0, -1)}': operands are separated by spaces`;
  }
  if (text === ",") return "unexpected ',': operands are separated by spaces";
  if (/^-?(0x[0-9a-f]+|[0-9]+(\.[0-9]+)?)$/i.test(text)) {
    return `unexpected '${text}': a number needs '#', as in '#${text}'`;
  }
  switch (text[0]) {
    case "$":
      return allDigits(text, 1)
        ? { kind: "register", value: Number(text.slice(1)), text, span }
        : `expected a register like '$0', found '${text}'`;
    case "#":
      return classifyNumber(text, span);
    case "@": {
      const body = text.slice(1);
      return LABEL_PATTERN.test(body)
        ? { kind: "labelRef", name: body, text, span }
        : `expected a label name after '@', found '${text}'`;
    }
    case ".": {
      const body = text.slice(1);
      return /^[A-Za-z][A-Za-z0-9_]*$/.test(body)
        ? { kind: "directive", name: body.toLowerCase(), text, span }
        : `expected a directive like '.data', found '${text}'`;
    }
    default:
      if (LABEL_PATTERN.test(text)) return { kind: "word", name: text, text, span };
      if (text.endsWith(":")) return `expected a label name before ':', found '${text}'`;
      return `unexpected '${text}'`;
  }
}

/** `#` followed by a decimal or hex integer, or a decimal float. */
function classifyNumber(text: string, span: Span): Token | string {
  const body = text.slice(1);
  // The common case first: decimal digits alone.
  if (allDigits(body, 0)) return { kind: "integer", value: Number(body), hex: false, text, span };
  const integer = INTEGER_PATTERN.exec(body);
  if (integer) {
    const magnitude = Number(integer[2]);
    const hex = /^0x/i.test(integer[2]);
    return { kind: "integer", value: integer[1] ? -magnitude : magnitude, hex, text, span };
  }
  if (FLOAT_PATTERN.test(body)) return { kind: "float", value: Number(body), text, span };
  return `expected a number like '#42', '#0x2A' or '#3.25', found '${text}'`;
}

/**
 * Reads the string literal whose opening quote is at `start`, reporting bad escapes and a missing closing
 * quote; pushes its token when the literal is complete. Returns where lexing resumes.
 */
function lexString(
  text: string,
  line: number,
  start: number,
  file: string,
  tokens: Token[],
  diagnostics: Diagnostic[],
): number {
  const fail = (from: number, to: number, message: string) =>
    diagnostics.push(diagnosticAt(file, spanOf(line, from, to), message));
  const quote = text[start];
  let value = "";
  let valid = true;
  let at = start + 1;
  while (at < text.length && text[at] !== quote) {
    if (text[at] !== "\\") {
      value += text[at++];
      continue;
    }
    const escaped = ESCAPES.get(text[at + 1] ?? "");
    if (escaped === undefined) {
      const shown = text.slice(at, at + 2);
      fail(at, at + Math.max(1, shown.length), `bad escape '${shown}': expected one of ${ESCAPE_LIST}`);
      valid = false;
    } else {
      value += escaped;
    }
    at += 2;
  }
  if (at >= text.length) {
    fail(start, text.length, `unterminated string: expected a closing ${quote} before the end of the line`);
    return text.length;
  }
  const end = at + 1;
  if (valid) {
    tokens.push({ kind: "string", value, text: text.slice(start, end), span: spanOf(line, start, end) });
  }
  return end;
}
