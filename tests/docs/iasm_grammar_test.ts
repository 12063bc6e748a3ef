/**
 * The TextMate grammar of `.iasm` (editors/vscode/iasm.tmLanguage.json), run by the engine VS Code uses
 * (vscode-textmate with the Oniguruma regular expressions of vscode-oniguruma, pinned in deno.json): every example is tokenized
 * and representative tokens carry the scopes they should, and every mnemonic of the opcode table is a
 * mnemonic to the grammar.
 * Mutations caught: the grammar file not regenerated after an opcode is added (or an opcode left out of
 * the generated list), floats scoped as integers, `@label` uses or label definitions unscoped, string
 * escapes not recognized, registers past $31 taken as valid, a comment's text highlighted as code.
 */
import { assert, assertEquals } from "../assert.ts";
import oniguruma from "vscode-oniguruma";
import textmate from "vscode-textmate";
import { IASM_GRAMMAR_PATH, iasmGrammar } from "../../src/docs/iasm_grammar.ts";
import { OPCODES } from "../../src/isa/opcodes.ts";

const ROOT = new URL("../../", import.meta.url);
const GRAMMAR_TEXT = await Deno.readTextFile(new URL(IASM_GRAMMAR_PATH, ROOT));

await oniguruma.loadWASM(
  await Deno.readFile(new URL("onig.wasm", import.meta.resolve("vscode-oniguruma"))),
);
const registry = new textmate.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text: string) => new oniguruma.OnigString(text),
  }),
  loadGrammar: (scopeName: string) =>
    Promise.resolve(
      scopeName === "source.iasm" ? textmate.parseRawGrammar(GRAMMAR_TEXT, "iasm.tmLanguage.json") : null,
    ),
});
const grammar = (await registry.loadGrammar("source.iasm"))!;

/** The tokens of each line of `source`: start column, text and innermost scope. */
function tokenize(source: string): { start: number; text: string; scope: string }[][] {
  let state = textmate.INITIAL;
  return source.split("\n").map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({
      start: t.startIndex,
      text: line.slice(t.startIndex, t.endIndex),
      scope: t.scopes.at(-1)!,
    }));
  });
}

/** The innermost scope at the first occurrence of `text` in the one-line `source`. */
function scopeOf(source: string, text: string): string | undefined {
  const at = source.indexOf(text);
  assert(at >= 0, `'${text}' is in '${source}'`);
  return tokenize(source)[0].findLast((t) => t.start <= at)?.scope;
}

/** The column of the `;` that starts a comment in `line`, skipping quoted strings, or -1. */
function commentStart(line: string): number {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote) {
      if (char === "\\") i++;
      else if (char === quote) quote = "";
    } else if (char === "'" || char === '"') quote = char;
    else if (char === ";") return i;
  }
  return -1;
}

Deno.test("the committed grammar is the one generated from the opcode table (else run `deno task docs`)", () => {
  assertEquals(JSON.parse(GRAMMAR_TEXT), iasmGrammar());
});

Deno.test("every mnemonic of the opcode table is a mnemonic to the grammar, in any case", () => {
  for (const op of OPCODES) {
    for (const spelling of [op.mnemonic, op.mnemonic.toUpperCase()]) {
      assertEquals(scopeOf(`  ${spelling} $1`, spelling), "keyword.other.mnemonic.iasm", spelling);
    }
  }
  assertEquals(scopeOf("frobnicate $1", "frobnicate"), "source.iasm", "an unknown word is no mnemonic");
});

Deno.test("the grammar scopes operands, labels, directives, strings and comments", () => {
  const cases: [string, string, string][] = [
    ["load $31 #-7", "$31", "variable.other.register.iasm"],
    ["load $32 #1", "$32", "invalid.illegal.register.iasm"],
    ["load $1 #0x2A", "#0x2A", "constant.numeric.integer.iasm"],
    ["loadf64 $1 #3.25", "#3.25", "constant.numeric.float.iasm"],
    ["loadf64 $1 #1e-3", "#1e-3", "constant.numeric.float.iasm"],
    ["loop: dec $1", "loop", "entity.name.label.iasm"],
    ["loop: dec $1", "dec", "keyword.other.mnemonic.iasm"],
    ["djmpe @loop", "loop", "variable.other.label.iasm"],
    ["call @add", "add", "variable.other.label.iasm"],
    ["msg: .asciiz 'a\\tb'", ".asciiz", "keyword.control.directive.iasm"],
    [".DATA", ".DATA", "keyword.control.directive.iasm"],
    [".flaot #1", ".flaot", "invalid.illegal.directive.iasm"],
    ["msg: .asciiz 'a\\tb'", "\\t", "constant.character.escape.iasm"],
    ['s: .asciiz "x\\qy"', "\\q", "invalid.illegal.escape.iasm"],
    ["s: .asciiz 'it\\'s ; not a comment'", " ; not a comment", "string.quoted.single.iasm"],
    ["hlt ; add $1 $2 $3", "; add $1 $2 $3", "comment.line.semicolon.iasm"],
  ];
  for (const [line, token, scope] of cases) assertEquals(scopeOf(line, token), scope, `${token} in ${line}`);
  const unterminated = tokenize("s: .asciiz 'open\nhlt");
  assertEquals(
    unterminated[1].map((t) => [t.text, t.scope]),
    [["hlt", "keyword.other.mnemonic.iasm"]],
    "a string left open ends at the line end",
  );
});

Deno.test("every example tokenizes: mnemonics, labels, operands and comments where the assembler sees them", async () => {
  let files = 0;
  for await (const entry of Deno.readDir(new URL("examples/", ROOT))) {
    if (!entry.name.endsWith(".iasm")) continue;
    files++;
    const source = await Deno.readTextFile(new URL(`examples/${entry.name}`, ROOT));
    const lines = tokenize(source);
    source.split("\n").forEach((text, i) => {
      const tokens = lines[i];
      const where = `${entry.name}:${i + 1}`;
      assertEquals(tokens.map((t) => t.text).join(""), text, `${where} is covered by its tokens`);
      const scopeAt = (column: number) => tokens.findLast((t) => t.start <= column)!.scope;
      const comment = commentStart(text);
      if (comment >= 0) assertEquals(scopeAt(comment), "comment.line.semicolon.iasm", where);
      // The words of the statement; a string with spaces gives several, all inside the string.
      const code = comment >= 0 ? text.slice(0, comment) : text;
      const words = [...code.matchAll(/[^\s]+/g)].filter((m) => !/^[A-Za-z_]\w*:$/.test(m[0]));
      if (words.length === 0) return;
      const [head, ...operands] = words;
      const expected = head[0].startsWith(".")
        ? "keyword.control.directive.iasm"
        : "keyword.other.mnemonic.iasm";
      assertEquals(scopeAt(head.index!), expected, `${where} '${head[0]}'`);
      for (const operand of operands) {
        const column = operand.index! + (operand[0].startsWith("@") ? 1 : 0);
        const scope = scopeAt(column);
        assert(
          scope !== "source.iasm" && !scope.startsWith("invalid") && !scope.startsWith("comment"),
          `${where} operand '${operand[0]}' has scope ${scope}`,
        );
      }
    });
  }
  assert(files >= 5, "the examples are found");
});
