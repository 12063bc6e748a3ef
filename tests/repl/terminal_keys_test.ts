/**
 * Keys expected of a readline REPL on a real terminal: Ctrl-R searches the history backwards (again for
 * an older match, Enter runs the line found, Ctrl-G gives the typed line back), Ctrl-L clears the screen
 * and keeps the line being typed. Mutations caught: Ctrl-R passed to readline unhandled (no search), a
 * second Ctrl-R not moving to an older match, Ctrl-G not restoring the line.
 */
import { assertEquals } from "../assert.ts";
import { PtySession } from "./_pty.ts";
import { tempDir } from "./_helpers.ts";

Deno.test({
  name: "Ctrl-R searches the history and Ctrl-L clears the screen on the terminal REPL",
  sanitizeResources: false,
  async fn() {
    await using tmp = await tempDir();
    await using pty = new PtySession(["--data-root-dir", tmp.dir], { size: { cols: 100, rows: 30 } });
    let at = await pty.waitFor(">>> ");
    for (const line of ["load $0 #7", "prti $0", "load $0 #9"]) {
      await pty.type(`${line}\r`);
      at = await pty.waitFor(">>> ", at);
    }
    await pty.type("\x12pr");
    at = await pty.waitFor("(reverse-i-search)'pr': prti $0", at);
    await pty.type("\r");
    at = await pty.waitFor(/\n9\n>>> /, at);
    // Two matches for "load": a second Ctrl-R goes to the older one.
    await pty.type("\x12load");
    at = await pty.waitFor("(reverse-i-search)'load': load $0 #9", at);
    await pty.type("\x12");
    at = await pty.waitFor("(reverse-i-search)'load': load $0 #7", at);
    await pty.type("\rprti $0\r");
    at = await pty.waitFor(/\n7\n>>> /, at);
    // Ctrl-G gives back the line typed before the search; a search that finds nothing says so.
    await pty.type("inc $0\x12zzz");
    at = await pty.waitFor("(failed reverse-i-search)'zzz': ", at);
    await pty.type("\x07\rprti $0\r");
    at = await pty.waitFor(/\n8\n>>> /, at);
    // Ctrl-L: the screen is cleared (cursor home, erase below) and the typed line drawn again.
    const before = pty.raw.length;
    await pty.type("prti\x0c");
    await pty.waitFor(/>>> prti$/, at);
    assertEquals(
      pty.raw.slice(before).includes("\x1b[1;1H\x1b[0J"),
      true,
      JSON.stringify(pty.raw.slice(before)),
    );
    await pty.type(" $0\r");
    at = await pty.waitFor(/\n8\n>>> /, at);
    await pty.type("!quit\r");
    assertEquals(await pty.exitCode(), 0);
  },
});
