/**
 * Diagnostics are data: where a problem is and what it is. Rendering (src/diag/render.ts) is separate, so
 * the CLI, the REPL and tests can each present or inspect them.
 */

/** Where a diagnostic points: 1-based line and column (UTF-16 units), and the caret width. */
export interface Span {
  line: number;
  col: number;
  /** Caret width, at least 1. */
  length: number;
}

/** One error in a source file. Messages are lowercase, without a trailing period. */
export interface Diagnostic {
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  col: number;
  /** Caret width, at least 1. */
  length: number;
  message: string;
}

/** A diagnostic at `span` of `file`. */
export function diagnosticAt(file: string, span: Span, message: string): Diagnostic {
  return { file, line: span.line, col: span.col, length: Math.max(1, span.length), message };
}

/** Orders diagnostics by position, for reports that read top to bottom. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.col - b.col;
}
