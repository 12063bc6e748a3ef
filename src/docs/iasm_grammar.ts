/**
 * The TextMate grammar of `.iasm` (scope `source.iasm`) for editors, generated from the opcode table, the
 * directive names and the string escapes, so an instruction added to the table is highlighted once
 * `deno task docs` has run (a test compares editors/vscode/iasm.tmLanguage.json with this).
 */
import { DIRECTIVE_NAMES } from "../asm/constants.ts";
import { ESCAPES } from "../asm/strings.ts";
import { OPCODES } from "../isa/opcodes.ts";

/** Where `deno task docs` writes the grammar, beside the VS Code extension manifest. */
export const IASM_GRAMMAR_PATH = "editors/vscode/iasm.tmLanguage.json";

const regexEscape = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");

/** Longest first, so no alternative is cut short by a prefix of it. */
const alternatives = (words: readonly string[]) =>
  [...words].sort((a, b) => b.length - a.length || a.localeCompare(b)).map(regexEscape).join("|");

/** Register numbers the instruction word encodes: `$0` to `$31`. */
const REGISTER = "\\$(?:3[01]|[12][0-9]|[0-9])(?![\\w$])";
/** As the lexer reads them (src/asm/lexer.ts): `#-7`, `#0x2A`; `#3.25`, `#.5`, `#1e-3`. */
const INTEGER = "#-?(?:0[xX][0-9A-Fa-f]+|[0-9]+)(?![\\w.])";
const FLOAT = "#-?(?:[0-9]+\\.[0-9]*|\\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][+-]?[0-9]+)?(?![\\w.])";
const NAME = "[A-Za-z_][A-Za-z0-9_]*";

function stringRule(quote: string, kind: string) {
  const escapes = [...ESCAPES.keys()].map(regexEscape).join("");
  return {
    name: `string.quoted.${kind}.iasm`,
    begin: quote,
    beginCaptures: { "0": { name: "punctuation.definition.string.begin.iasm" } },
    // A string ends at its quote; one left open ends with the line, as in the assembler.
    end: `${quote}|$`,
    endCaptures: { "0": { name: "punctuation.definition.string.end.iasm" } },
    patterns: [
      { name: "constant.character.escape.iasm", match: `\\\\[${escapes}]` },
      { name: "invalid.illegal.escape.iasm", match: "\\\\." },
    ],
  };
}

/** The grammar as a JSON value. */
export function iasmGrammar(): Record<string, unknown> {
  const mnemonics = OPCODES.map((op) => op.mnemonic);
  return {
    $comment:
      "Generated from src/isa/opcodes.ts by `deno task docs` (src/docs/iasm_grammar.ts); do not edit.",
    name: "Iridium assembly",
    scopeName: "source.iasm",
    fileTypes: ["iasm"],
    patterns: [
      { include: "#comment" },
      { include: "#label-definition" },
      { include: "#directive" },
      { include: "#mnemonic" },
      { include: "#register" },
      { include: "#float" },
      { include: "#integer" },
      { include: "#label-reference" },
      { include: "#string" },
    ],
    repository: {
      "comment": { name: "comment.line.semicolon.iasm", match: ";.*$" },
      "label-definition": {
        match: `^\\s*(${NAME})(:)`,
        captures: {
          "1": { name: "entity.name.label.iasm" },
          "2": { name: "punctuation.separator.label.iasm" },
        },
      },
      "directive": {
        patterns: [
          {
            name: "keyword.control.directive.iasm",
            match: `(?i)\\.(?:${alternatives(DIRECTIVE_NAMES)})(?![\\w.])`,
          },
          { name: "invalid.illegal.directive.iasm", match: "\\.[A-Za-z_]\\w*" },
        ],
      },
      "mnemonic": {
        name: "keyword.other.mnemonic.iasm",
        match: `(?i)(?<![\\w@.$#])(?:${alternatives(mnemonics)})(?![\\w:])`,
      },
      "register": {
        patterns: [
          { name: "variable.other.register.iasm", match: REGISTER },
          { name: "invalid.illegal.register.iasm", match: "\\$\\w*" },
        ],
      },
      "float": { name: "constant.numeric.float.iasm", match: FLOAT },
      "integer": { name: "constant.numeric.integer.iasm", match: INTEGER },
      "label-reference": {
        match: `(@)(${NAME})`,
        captures: {
          "1": { name: "punctuation.definition.label.iasm" },
          "2": { name: "variable.other.label.iasm" },
        },
      },
      "string": { patterns: [stringRule("'", "single"), stringRule('"', "double")] },
    },
  };
}

/** The grammar file's text. */
export function renderIasmGrammar(): string {
  return `${JSON.stringify(iasmGrammar(), null, 2)}\n`;
}

if (import.meta.main) {
  const path = new URL(`../../${IASM_GRAMMAR_PATH}`, import.meta.url);
  const temporary = new URL(`${path.pathname}.tmp`, "file:");
  Deno.writeTextFileSync(temporary, renderIasmGrammar());
  Deno.renameSync(temporary, path);
}
