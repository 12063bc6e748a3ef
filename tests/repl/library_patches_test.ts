/**
 * The node:readline behaviour that src/repl/readline_line.ts relies on, checked on the real Interface: the
 * edited text and the cursor live in its `line` and `cursor` fields, and Enter submits what `line` holds.
 *
 * Mutation caught: a Deno upgrade whose readline renames those fields or stops reading them when a line is
 * submitted (Ctrl-C on an idle prompt would then submit the abandoned text) fails this test, as does
 * abandonLine() emptying the wrong fields.
 */
import { createInterface } from "node:readline";
import { PassThrough } from "node:stream";
import { assertEquals } from "../assert.ts";
import { abandonLine } from "../../src/repl/readline_line.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

Deno.test("readline keeps the edited line in `line` and `cursor`, and abandonLine() makes Enter submit nothing", async () => {
  const input = new PassThrough(), output = new PassThrough();
  output.resume();
  const rl = createInterface({ input, output, terminal: true });
  const lines: string[] = [];
  rl.on("line", (line) => lines.push(line));
  try {
    input.write("abc");
    await tick();
    const fields = rl as unknown as { line: string; cursor: number };
    assertEquals([fields.line, fields.cursor], ["abc", 3]);
    abandonLine(rl);
    input.write("xy\r");
    await tick();
    assertEquals(lines, ["xy"]);
  } finally {
    rl.close();
  }
});
