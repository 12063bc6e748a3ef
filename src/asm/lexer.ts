/**
 * The assembly lexer: one line of source to tokens with spans (SPEC §4). Lines are independent, so an error
 * costs at most the rest of its line and the assembler resynchronizes on the next one.
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

/** Tokens of one line, and the problems found in it. */
export interface LexedLine {
  tokens: Token[];
  diagnostics: Diagnostic[];
}

/** Labels are case-sensitive identifiers (SPEC §4). */
export const LABEL_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INTEGER_PATTERN = /^(-?)(0x[0-9a-f]+|[0-9]+)$/i;
const FLOAT_PATTERN = /^-?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=e))(e[+-]?[0-9]+)?$/i;
const IDENTIFIER_CHAR = /[A-Za-z0-9_]/;

/** Whitespace between tokens; `;` starts a comment, quotes start a string. */
const isSpace = (char: string) => char === " " || char === "\t" || char === "\r";
const endsRun = (char: string) => isSpace(char) || char === ";" || char === "'" || char === '"';

/** Splits `text`, line `line` of `file`, into tokens. */
export function lexLine(text: string, line: number, file: string): LexedLine {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  const spanOf = (start: number, end: number): Span => ({ line, col: start + 1, length: end - start });
  const fail = (start: number, end: number, message: string) =>
    diagnostics.push(diagnosticAt(file, spanOf(start, end), message));
  let at = 0;
  while (at < text.length) {
    const char = text[at];
    if (isSpace(char)) {
      at++;
      continue;
    }
    if (char === ";") break;
    const start = at;
    if (char === "'" || char === '"') {
      at = lexString(text, at, (value, end) => {
        tokens.push({ kind: "string", value, text: text.slice(start, end), span: spanOf(start, end) });
      }, fail);
      continue;
    }
    if (/[A-Za-z_]/.test(char)) {
      while (at < text.length && IDENTIFIER_CHAR.test(text[at])) at++;
      if (text[at] === ":") {
        at++;
        const name = text.slice(start, at - 1);
        tokens.push({ kind: "label", name, text: text.slice(start, at), span: spanOf(start, at) });
        continue;
      }
    }
    while (at < text.length && !endsRun(text[at])) at++;
    const token = classify(text.slice(start, at), spanOf(start, at));
    if (typeof token === "string") fail(start, at, token);
    else tokens.push(token);
  }
  return { tokens, diagnostics };
}

/** The token a run of non-space text stands for, or the message saying why it is malformed. */
function classify(text: string, span: Span): Token | string {
  const body = text.slice(1);
  switch (text[0]) {
    case "$":
      return /^[0-9]+$/.test(body)
        ? { kind: "register", value: Number(body), text, span }
        : `expected a register like '$0', found '${text}'`;
    case "#":
      return classifyNumber(text, span);
    case "@":
      return LABEL_PATTERN.test(body)
        ? { kind: "labelRef", name: body, text, span }
        : `expected a label name after '@', found '${text}'`;
    case ".":
      return /^[A-Za-z][A-Za-z0-9_]*$/.test(body)
        ? { kind: "directive", name: body.toLowerCase(), text, span }
        : `expected a directive like '.data', found '${text}'`;
    default:
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) return { kind: "word", name: text, text, span };
      if (text.endsWith(":")) return `expected a label name before ':', found '${text}'`;
      return `unexpected '${text}'`;
  }
}

/** `#` followed by a decimal or hex integer, or a decimal float. */
function classifyNumber(text: string, span: Span): Token | string {
  const body = text.slice(1);
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
 * quote; hands the decoded value to `emit` when the literal is complete. Returns where lexing resumes.
 */
function lexString(
  text: string,
  start: number,
  emit: (value: string, end: number) => void,
  fail: (start: number, end: number, message: string) => void,
): number {
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
  if (valid) emit(value, at + 1);
  return at + 1;
}
