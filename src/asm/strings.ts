/**
 * String literal escapes, shared by the lexer (decoding) and the disassembler (quoting) (docs/language.md).
 */

/** Escape letter to the character it stands for: `\n \t \\ \' \" \0`. */
export const ESCAPES: ReadonlyMap<string, string> = new Map([
  ["n", "\n"],
  ["t", "\t"],
  ["\\", "\\"],
  ["'", "'"],
  ['"', '"'],
  ["0", "\0"],
]);

/** The escapes as written, for messages. */
export const ESCAPE_LIST = [...ESCAPES.keys()].map((letter) => `\\${letter}`).join(" ");

/**
 * True when `text` can be written as a string literal: escapes cover `\n`, `\t` and `\0`, but no other
 * control character (a raw one would be invisible, or break the line).
 */
export function isQuotable(text: string): boolean {
  // deno-lint-ignore no-control-regex
  return !/[\x01-\x08\x0b-\x1f\x7f]/.test(text);
}

/** `text` as a double-quoted literal the lexer reads back to the same string. */
export function quoteString(text: string): string {
  const escaped = text.replace(/[\\"\n\t\0]/g, (char) => {
    for (const [letter, value] of ESCAPES) if (value === char && letter !== "'") return `\\${letter}`;
    return char;
  });
  return `"${escaped}"`;
}
