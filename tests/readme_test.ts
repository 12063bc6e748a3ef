import { assertEquals, assertStringIncludes } from "./assert.ts";
import { renderCommandReference, renderInstructionReference, updateReadme } from "../src/docs/readme.ts";
import { OPCODES } from "../src/isa/opcodes.ts";
import { REPL_COMMANDS } from "../src/repl/commands.ts";

const README = new URL("../README.md", import.meta.url);

/** Table cells without the padding `deno fmt` adds to align columns. */
function normalizeTables(text: string): string {
  return text.replace(/ +\|/g, " |").replace(/\| +/g, "| ").replace(/-{3,}/g, "---");
}

Deno.test("the README's generated sections match the opcode and command tables (else run `deno task docs`)", async () => {
  const text = await Deno.readTextFile(README);
  assertEquals(normalizeTables(text), normalizeTables(updateReadme(text)));
  for (const op of OPCODES) {
    assertStringIncludes(renderInstructionReference(), `| ${op.byte} | \`${op.mnemonic}\` |`);
  }
  for (const c of REPL_COMMANDS) assertStringIncludes(renderCommandReference(), `| \`!${c.name}`);
});

Deno.test("the README's quick start gives both routes, and CI runs its test command", async () => {
  const text = await Deno.readTextFile(README);
  const pkg = JSON.parse(await Deno.readTextFile(new URL("../package.json", import.meta.url)));
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
  assertStringIncludes(await Deno.readTextFile(new URL("../.ci/run", import.meta.url)), "\nnpm test ");
});
