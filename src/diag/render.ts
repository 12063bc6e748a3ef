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

/**
 * A diagnostic's source: the whole text, or a function giving the 1-based line asked for (the REPL has one
 * line at hand and need not build the lines before it).
 */
export type DiagnosticSource = string | ((line: number) => string);

/** The 1-based `line`-th line of `source` (without its line break), or "" past the end. */
function sourceLine(source: DiagnosticSource, line: number): string {
  const text = typeof source === "string" ? source.split("\n")[line - 1] : source(line);
  return neutralize((text ?? "").replace(/\r$/, ""));
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
export function renderDiagnostic(d: Diagnostic, source: DiagnosticSource): string {
  const text = sourceLine(source, d.line);
  const carets = "^".repeat(Math.max(1, d.length));
  return `${neutralize(d.file)}:${d.line}:${d.col}: error: ${neutralize(d.message)}\n${text}\n${
    caretPadding(text, d.col)
  }${carets}\n`;
}

/** Every diagnostic in order, then `N errors` when there is more than one. */
export function renderDiagnostics(ds: readonly Diagnostic[], source: DiagnosticSource): string {
  const parts = ds.map((d) => renderDiagnostic(d, source));
  if (ds.length > 1) parts.push(`${ds.length} errors\n`);
  return parts.join("");
}
