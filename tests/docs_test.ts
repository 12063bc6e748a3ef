/**
 * docs/ and the README: the generated tables match their sources, read back from the files themselves, and
 * every link into docs/ leads to a file.
 *
 * Mutations caught: an opcode, REPL command or CLI option added, renamed or reworded without `deno task docs`
 * fails the first tests (they parse the Markdown rows and compare them with the tables, not with the
 * renderer's output); a README over 300 lines or with a broken docs/ link fails the last ones.
 */
import { assert, assertEquals, assertStringIncludes } from "./assert.ts";
import { GENERATED_FILES, updateGenerated } from "../src/docs/reference.ts";
import { CLI_SPEC } from "../src/cli/spec.ts";
import { OPCODES } from "../src/isa/opcodes.ts";
import { OPERAND_INFO } from "../src/isa/operands.ts";
import { REPL_COMMANDS } from "../src/repl/commands.ts";

const ROOT = new URL("../", import.meta.url);
const read = (path: string) => Deno.readTextFileSync(new URL(path, ROOT));

/** Table cells without the padding `deno fmt` adds to align columns. */
function normalizeTables(text: string): string {
  return text.replace(/ +\|/g, " |").replace(/\| +/g, "| ").replace(/-{3,}/g, "---");
}

/** The body rows of the Markdown table between a generated section's markers, as cells. */
function generatedRows(text: string, name: string): string[][] {
  const begin = text.indexOf(`<!-- ${name}:begin`);
  const end = text.indexOf(`<!-- ${name}:end -->`);
  assert(begin >= 0 && end > begin, `no '${name}' section`);
  return text.slice(begin, end).split("\n").filter((line) => line.startsWith("|")).slice(2).map((line) =>
    line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim().replaceAll("\\|", "|"))
  );
}

Deno.test("docs/'s generated sections are current (else run `deno task docs`)", () => {
  for (const file of GENERATED_FILES) {
    const text = read(file);
    assertEquals(normalizeTables(text), normalizeTables(updateGenerated(text)), file);
  }
});

Deno.test("docs/language.md lists every opcode of the table with its operands and effect, in order", () => {
  const rows = generatedRows(read("docs/language.md"), "instruction-reference");
  assertEquals(
    rows.map(([byte, mnemonic, operands, effect]) => [Number(byte), mnemonic, operands, effect]),
    OPCODES.map((op) => {
      const operands = op.operands.map((kind) => OPERAND_INFO[kind].syntax).join(" ");
      return [op.byte, `\`${op.mnemonic}\``, operands ? `\`${operands}\`` : "", op.summary];
    }),
  );
});

Deno.test("docs/repl.md lists every REPL command, and docs/cli.md every option and subcommand of cli.yml", () => {
  const commands = generatedRows(read("docs/repl.md"), "repl-commands").map(([c]) => /^`!(\w+)/.exec(c)?.[1]);
  assertEquals(commands, REPL_COMMANDS.map((c) => c.name));
  const cli = read("docs/cli.md");
  for (const option of CLI_SPEC.options) assertStringIncludes(cli, `--${option.long}`);
  for (const command of CLI_SPEC.commands) assertStringIncludes(cli, `\`iridium ${command.name}`);
});

Deno.test("the README is a user's guide of at most 300 lines whose docs/ links all lead to a file", () => {
  const text = read("README.md");
  const lines = text.split("\n").length;
  assert(lines <= 300, `README.md has ${lines} lines`);
  const links = [...text.matchAll(/\]\((docs\/[^)#]+)/g)].map((m) => m[1]);
  for (const file of ["language", "bytecode", "repl", "cli", "security", "performance", "reliability"]) {
    assert(links.includes(`docs/${file}.md`), `no link to docs/${file}.md`);
  }
  for (const link of links) Deno.statSync(new URL(link, ROOT));
  for (const file of ["docs/language.md", "docs/repl.md", "docs/security.md", "docs/development.md"]) {
    for (const m of read(file).matchAll(/\]\(([a-z_]+\.md)\)/g)) Deno.statSync(new URL(`docs/${m[1]}`, ROOT));
  }
});

Deno.test("the README's quick start gives both routes, and CI runs its test command", () => {
  const text = read("README.md");
  const pkg = JSON.parse(read("package.json"));
  for (
    const line of [
      "deno task start examples/hello.iasm ",
      "deno task test ",
      "npm start -- examples/hello.iasm ",
    ]
  ) {
    assertStringIncludes(text, `\n${line}`);
  }
  assertStringIncludes(text, "\nnpm test\n");
  assertStringIncludes(pkg.scripts.start, "tools/deno/run.mjs task --quiet start");
  assertStringIncludes(pkg.scripts.test, "tools/deno/run.mjs task test");
  assertStringIncludes(read(".ci/run"), "\nnpm test ");
});
