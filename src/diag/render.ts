/** Diagnostics as text: `FILE:LINE:COL: error: MESSAGE`, the source line, and a caret under the fault. */
import type { Diagnostic } from "./diagnostic.ts";

/**
 * Control characters (but tab), and the Unicode line and paragraph separators, shown as U+FFFD: a
 * diagnostic echoes its source, and over SSH a raw escape sequence there could drive the client's terminal.
 * One character for one keeps the caret in its column.
 */
function neutralize(text: string): string {
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, "\ufffd");
}

/** A source as text, or as a function giving its 1-based `line`-th line without the line break. */
export type SourceText = string | ((line: number) => string);

/** Looks lines up in `source`, splitting a text only once however many diagnostics it has. */
function lineReader(source: SourceText): (line: number) => string {
  if (typeof source === "function") return source;
  let lines: string[] | undefined;
  return (line) => (lines ??= source.split("\n"))[line - 1] ?? "";
}

/**
 * The widest stretch of a source line a diagnostic shows, in UTF-16 units: a longer line (minified or
 * generated code, a 70 KB string) is clipped around the caret, with `…` where text is left out.
 */
export const MAX_SHOWN_LINE = 160;
/** How much of the line a clipped excerpt shows before the caret. */
const CONTEXT_BEFORE = 60;

/** The excerpt of `text` to show and the caret's column and width in it. */
function clipAround(
  text: string,
  col: number,
  length: number,
): { text: string; col: number; length: number } {
  if (text.length <= MAX_SHOWN_LINE) return { text, col, length };
  const start = Math.max(0, Math.min(col - 1 - CONTEXT_BEFORE, text.length - MAX_SHOWN_LINE));
  const end = Math.min(text.length, start + MAX_SHOWN_LINE);
  const head = start > 0 ? "…" : "";
  const excerpt = head + text.slice(start, end) + (end < text.length ? "…" : "");
  const shownCol = col - start + head.length;
  return { text: excerpt, col: shownCol, length: Math.max(1, Math.min(length, end - (col - 1))) };
}

/**
 * Padding that puts a caret under column `col` of `text`: tabs stay tabs so the caret lines up whatever the
 * terminal's tab width; every other character (a surrogate pair counts once) becomes a space.
 */
function caretPadding(text: string, col: number): string {
  let padding = "";
  for (const char of text.slice(0, col - 1)) padding += char === "\t" ? "\t" : " ";
  return padding;
}

/** One diagnostic with its source line and caret; ends with a newline. */
export function renderDiagnostic(d: Diagnostic, source: SourceText): string {
  return renderWith(d, lineReader(source));
}

function renderWith(d: Diagnostic, lineOf: (line: number) => string): string {
  const shown = clipAround(lineOf(d.line).replace(/\r$/, ""), d.col, d.length);
  const text = neutralize(shown.text);
  const carets = "^".repeat(Math.max(1, shown.length));
  return `${neutralize(d.file)}:${d.line}:${d.col}: error: ${neutralize(d.message)}\n${text}\n${
    caretPadding(text, shown.col)
  }${carets}\n`;
}

/** Every diagnostic in order, then `N errors` when there is more than one; linear in the source's size. */
export function renderDiagnostics(ds: readonly Diagnostic[], source: SourceText): string {
  const lineOf = lineReader(source);
  const parts = ds.map((d) => renderWith(d, lineOf));
  if (ds.length > 1) parts.push(`${ds.length} errors\n`);
  return parts.join("");
}
