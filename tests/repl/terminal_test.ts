import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { BANNER, FAREWELL } from "../../src/repl/session.ts";
import { PtySession } from "./_pty.ts";
import { tempDir } from "./_helpers.ts";

/** Counts lines of the plain screen that are exactly `line`. */
function countLines(screen: string, line: string): number {
  return screen.split("\n").filter((l) => l === line).length;
}

Deno.test({
  name: "the terminal REPL edits lines, recalls history, survives Ctrl-C and leaves on Ctrl-D",
  sanitizeResources: false,
  async fn() {
    await using tmp = await tempDir();
    {
      await using pty = new PtySession(["--data-root-dir", tmp.dir]);
      let at = await pty.waitFor(BANNER);
      at = await pty.waitFor(">>> ", at);

      await pty.type("load $0 #7\r");
      at = await pty.waitFor(">>> ", at);
      await pty.type("prti $1\x7f0\r"); // backspace turns $1 into $0
      at = await pty.waitFor(/\n7\n>>> /, at);

      await pty.type("\x1b[A\r"); // arrow up: prti $0 again
      at = await pty.waitFor(/prti \$0\n7\n>>> /, at);

      await pty.type("load $5 #4\r");
      at = await pty.waitFor(">>> ", at);
      await pty.type("jmpb $5\r"); // an endless loop
      await pty.waitFor("jmpb $5\n", at);
      await pty.type("\x03");
      at = await pty.waitFor(/interrupted at 0x[0-9a-f]{4} \(jmpb \$5\)\n>>> /, at);

      await pty.type("garbage\x03"); // Ctrl-C when idle abandons the line
      at = await pty.waitFor(">>> ", at);
      await pty.type("prti $0\r");
      at = await pty.waitFor(/\n7\n>>> /, at);
      assert(!pty.screen.includes("garbageprti"));

      await pty.type("\x04");
      await pty.waitFor(FAREWELL, at);
      assertEquals(await pty.exitCode(), 0);
      assertEquals(countLines(pty.screen, "7"), 3);
    }
    const saved = await Deno.readTextFile(`${tmp.dir}/history`);
    assertEquals(saved.trimEnd().split("\n").at(-1), "prti $0");
    assertEquals((await Deno.stat(`${tmp.dir}/history`)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(tmp.dir)).mode! & 0o777, 0o700);
    {
      await using pty = new PtySession(["--data-root-dir", tmp.dir]);
      let at = await pty.waitFor(">>> ");
      await pty.type("load $0 #3\r");
      at = await pty.waitFor(">>> ", at);
      await pty.type("\x1b[A\x1b[A\r"); // two up: the last line of the previous run
      at = await pty.waitFor(/prti \$0\n3\n>>> /, at);
      await pty.type("!quit\r");
      await pty.waitFor(FAREWELL, at);
      assertEquals(await pty.exitCode(), 0);
      assertStringIncludes(pty.screen, BANNER);
    }
  },
});
