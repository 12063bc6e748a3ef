/**
 * Ctrl-C stops a program that floods the terminal at once. Measured as output, not time (the machine is
 * shared): the bytes the terminal receives between Ctrl-C and `interrupted at`. Without the timer turn
 * after each printing slice (src/cli/repl_command.ts, pacedTerminalOutput) the input is read only every
 * few seconds and 7.8 to 8.9 MB arrive in between; with it, 70 to 150 KB. The bound, 2 MB, leaves a
 * wide margin on both sides. Mutation caught: `pace` left out of the local REPL's session.
 */
import { assert } from "../assert.ts";
import { PtySession } from "./_pty.ts";
import { tempDir } from "./_helpers.ts";

const BOUND_BYTES = 2_000_000;

Deno.test({
  name: "Ctrl-C interrupts a program flooding the terminal within a little output",
  sanitizeResources: false,
  async fn() {
    await using tmp = await tempDir();
    await using pty = new PtySession(["--data-root-dir", tmp.dir], { size: { cols: 100, rows: 30 } });
    const rawWait = async (text: string, from: number) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const i = pty.raw.indexOf(text, from);
        if (i >= 0) return i + text.length;
        if (Date.now() > deadline) throw new Error(`no '${text}' on the terminal`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    let at = await rawWait(">>> ", 0);
    await pty.type("load $1 #4\rprti $0\r");
    at = await rawWait("0\r\n", at);
    await pty.type("jmp $1\r"); // back to the prti: prints "0" forever
    at = await rawWait("0\r\n0\r\n0\r\n", at);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = pty.raw.length;
    await pty.type("\x03");
    const after = await rawWait("interrupted at", before);
    assert(after - before < BOUND_BYTES, `${after - before} bytes arrived after Ctrl-C`);
    await rawWait(">>> ", after);
    await pty.type("!quit\r");
    await pty.exitCode();
  },
});
