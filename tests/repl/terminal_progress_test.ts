/**
 * The runtime's own progress display stays off the REPL's terminal. `deno run` draws it on stderr while it
 * loads modules (at start, and whenever a worker of the pool starts, e.g. the one replacing a killed
 * process) when stderr is a terminal with a size, and clears its line with ESC[0G ESC[2K ESC[J, erasing
 * the prompt. `--quiet` in the start task turns it off. Mutation caught: `--quiet` removed from the task.
 */
import { assertEquals } from "../assert.ts";
import { PtySession } from "./_pty.ts";
import { tempDir } from "./_helpers.ts";

const DENO_JSON = JSON.parse(Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)));
/** `deno run`, the flags of `deno task start` (all but `--config`, whose value is a shell word), main.ts. */
const START_ARGS: string[] = [
  "run",
  ...(DENO_JSON.tasks.start as string).split(/\s+/).filter((word) => /^--(?!config)/.test(word)),
  "main.ts",
];

Deno.test({
  name: "no clear-line sequence of the runtime reaches the terminal when workers start after !kill",
  sanitizeResources: false,
  async fn() {
    await using tmp = await tempDir();
    await Deno.writeTextFile(`${tmp.dir}/loop.iasm`, "load $1 #0\njmp $1\n");
    await using pty = new PtySession(["--data-root-dir", tmp.dir], {
      runArgs: START_ARGS,
      size: { cols: 100, rows: 30 },
    });
    let at = await pty.waitFor(">>> ");
    for (let pid = 1; pid <= 3; pid++) {
      await pty.type(`!spawn ${tmp.dir}/loop.iasm\r`);
      at = await pty.waitFor(`started process ${pid}`, at);
      await pty.type(`!kill ${pid}\r`);
      at = await pty.waitFor(`killed process ${pid}`, at);
    }
    await pty.type("!quit\r");
    assertEquals(await pty.exitCode(), 0);
    assertEquals(pty.raw.includes("\x1b[0G"), false, JSON.stringify(pty.raw));
  },
});
