/**
 * The assembler's fast path: a line of the plainest shape, `[name:] mnemonic operands [; comment]` with
 * operands `$n`, `#n` (decimal) and `@name`, read straight from its character codes without building
 * tokens, spans or a statement. The assembler lays out and encodes such a line itself when everything in
 * it is valid (src/asm/assembler.ts `layOutFast`); any other line, and any doubt, goes through the lexer
 * and parser, which report every problem. Most lines of a long program take this path, and the objects
 * it does not build were most of the assembler's time (garbage collection about a third of a CPU profile
 * of 200,000 lines: `BENCH_ONLY=assembler deno task bench:peers`).
 */

/** Operand forms the fast path reads. */
export const enum Form {
  Register,
  Integer,
  Label,
}

/** One scanned line; the scanner reuses a single instance, so a caller copies what it keeps. */
export interface FastLine {
  /** The label defined on the line, or "" for none. */
  label: string;
  mnemonic: string;
  count: number;
  readonly forms: Form[];
  /** Register numbers and integer values. */
  readonly values: number[];
  /** Label names of `@name` operands. */
  readonly names: string[];
}

/** Switch for the tests that compare the fast path with the lexer and parser. */
export const FAST_PATH = { enabled: true };

const SCRATCH: FastLine = { label: "", mnemonic: "", count: 0, forms: [], values: [], names: [] };

const SPACE = 32, TAB = 9, RETURN = 13, SEMICOLON = 59, COLON = 58, DOLLAR = 36, HASH = 35, AT = 64;

const isSpace = (code: number) => code === SPACE || code === TAB || code === RETURN;
const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
const isDigit = (code: number) => code >= 48 && code <= 57;

/** The line read as the plainest shape, or undefined when it has any other form (or is blank). */
export function scanFastLine(text: string): FastLine | undefined {
  if (!FAST_PATH.enabled) return undefined;
  const length = text.length, line = SCRATCH;
  let at = skipSpace(text, 0);
  if (at === length) return undefined;
  let start = at;
  if (!isLetter(text.charCodeAt(at))) return undefined;
  at = identifierEnd(text, at);
  line.label = "";
  if (text.charCodeAt(at) === COLON) {
    line.label = text.slice(start, at);
    at = skipSpace(text, at + 1);
    start = at;
    if (at === length || !isLetter(text.charCodeAt(at))) return undefined;
    at = identifierEnd(text, at);
  }
  if (at < length && !isSpace(text.charCodeAt(at)) && text.charCodeAt(at) !== SEMICOLON) return undefined;
  line.mnemonic = text.slice(start, at);
  line.count = 0;
  for (;;) {
    at = skipSpace(text, at);
    if (at === length || text.charCodeAt(at) === SEMICOLON) return line;
    if (line.count === 3) return undefined;
    const sigil = text.charCodeAt(at++);
    const from = at;
    if (sigil === DOLLAR || sigil === HASH) {
      let value = 0;
      while (at < length && isDigit(text.charCodeAt(at))) value = value * 10 + text.charCodeAt(at++) - 48;
      // Up to 9 digits the value is exact and below 2^31; a longer run is for the lexer.
      if (at === from || at - from > 9) return undefined;
      line.forms[line.count] = sigil === DOLLAR ? Form.Register : Form.Integer;
      line.values[line.count] = value;
    } else if (sigil === AT) {
      if (at === length || !isLetter(text.charCodeAt(at))) return undefined;
      at = identifierEnd(text, at);
      line.forms[line.count] = Form.Label;
      line.names[line.count] = text.slice(from, at);
    } else return undefined;
    if (at < length && !isSpace(text.charCodeAt(at)) && text.charCodeAt(at) !== SEMICOLON) return undefined;
    line.count++;
  }
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  return at;
}

function identifierEnd(text: string, at: number): number {
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (!isLetter(code) && !isDigit(code)) break;
    at++;
  }
  return at;
}
