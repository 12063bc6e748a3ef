/**
 * The assembly parser: each line to a statement `[label:] [mnemonic|.directive operands...]`
 * (docs/language.md). It checks only the line's shape; what operands mean is the assembler's business.
 */
import { type Diagnostic, diagnosticAt, type Span } from "../diag/diagnostic.ts";
import { lexLine, type Token } from "./lexer.ts";

/** A label definition `name:`. */
export type LabelToken = Extract<Token, { kind: "label" }>;
/** A mnemonic or a directive. */
export type HeadToken = Extract<Token, { kind: "word" | "directive" }>;

/** One non-empty line of source. */
export interface Statement {
  /** 1-based line number. */
  line: number;
  label?: LabelToken;
  head?: HeadToken;
  operands: Token[];
  /** The line had lexical or shape errors: lay it out, but report nothing more about it. */
  broken: boolean;
}

/** The statements of a source and the problems found while reading them. */
export interface ParsedSource {
  statements: Statement[];
  diagnostics: Diagnostic[];
}

/** Splits `source` into lines and parses each; blank and comment-only lines yield no statement. */
export function parseSource(source: string, file: string): ParsedSource {
  const statements: Statement[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = source.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const statement = parseLine(lines[index], index + 1, file, diagnostics);
    if (statement !== undefined) statements.push(statement);
  }
  return { statements, diagnostics };
}

/**
 * Parses `text`, line `line` of `file`, appending its problems to `diagnostics`; undefined for a blank or
 * comment-only line.
 */
export function parseLine(
  text: string,
  line: number,
  file: string,
  diagnostics: Diagnostic[],
): Statement | undefined {
  const problems = diagnostics.length;
  const tokens = lexLine(text, line, file, diagnostics);
  if (tokens.length === 0 && diagnostics.length === problems) return undefined; // blank or comment only
  const statement = parseTokens(tokens, line, file, diagnostics);
  statement.broken ||= diagnostics.length > problems;
  return statement.label || statement.head || statement.broken ? statement : undefined;
}

function parseTokens(tokens: Token[], line: number, file: string, diagnostics: Diagnostic[]): Statement {
  const statement: Statement = { line, operands: [], broken: false };
  const fail = (token: Token, message: string) => {
    diagnostics.push(diagnosticAt(file, token.span, message));
    statement.broken = true;
  };
  let at = 0;
  if (tokens[at]?.kind === "label") statement.label = tokens[at++] as LabelToken;
  const head = tokens[at];
  if (head === undefined) return statement;
  if (head.kind !== "word" && head.kind !== "directive") {
    fail(head, `expected a mnemonic or a directive, found '${head.text}'`);
    return statement;
  }
  statement.head = head;
  for (at++; at < tokens.length; at++) {
    const token = tokens[at];
    if (token.kind === "label") {
      fail(token, `expected an operand, found label definition '${token.text}' (labels start the line)`);
    } else {
      statement.operands.push(token);
    }
  }
  return statement;
}

/** A span from `first` through the last of `rest`, on one line. */
export function spanOfStatement(first: Token, rest: readonly Token[]): Span {
  const last = rest.at(-1) ?? first;
  return {
    line: first.span.line,
    col: first.span.col,
    length: last.span.col + last.span.length - first.span.col,
  };
}
