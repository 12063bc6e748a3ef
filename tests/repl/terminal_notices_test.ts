/**
 * The SSH server's log lines beside the local REPL print above the prompt, and the line being typed is
 * drawn again below them. Mutation caught: notices not attached in runInteractive (the log line then lands
 * inside the typed line and the prompt is not redrawn). Ctrl-D at the prompt asks as `!quit` does; mutation
 * caught: the key filter handing Ctrl-D to readline (the REPL then leaves at once, dropping the connection).
 */
import { assertEquals, assertMatch } from "../assert.ts";
import { PtySession } from "./_pty.ts";
import { tempDir } from "./_helpers.ts";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test({
  name: "SSH log lines print above the local prompt, and the typed line is drawn again",
  sanitizeResources: false,
  async fn() {
    await using tmp = await tempDir();
    const port = freePort();
    await using pty = new PtySession(["--enable-ssh", "-p", String(port), "--data-root-dir", tmp.dir], {
      size: { cols: 120, rows: 30 },
    });
    let at = await pty.waitFor(">>> ");
    await pty.type("load $0 #4"); // typed, not entered
    at = await pty.waitFor("load $0 #4", at);
    // A client that says hello and leaves: the server logs its disconnect.
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(new TextEncoder().encode("SSH-2.0-probe\r\n"));
    conn.close();
    at = await pty.waitFor(/ssh: disconnect[^\n]*\n>>> load \$0 #4/, at);
    await pty.type("2\rprti $0\r");
    at = await pty.waitFor(/\n42\n>>> /, at);
    // On the terminal: the typed line is erased, the log line printed, then prompt and line drawn again.
    // deno-lint-ignore no-control-regex
    assertMatch(pty.raw, /load \$0 #4\r\x1b\[Kiridium: ssh: disconnect[^\n]*\n[^\n]*>>> [^\n]*load \$0 #4/);
    await pty.type("!quit\r");
    assertEquals(await pty.exitCode(), 0);
  },
});

/** How the local REPL is asked to leave: `!quit` typed, or Ctrl-D at the prompt, which runs it. */
const QUIT_KEYS = [
  { how: "!quit", keys: "!quit\r" },
  { how: "Ctrl-D", keys: "\x04" },
];

for (const { how, keys } of QUIT_KEYS) {
  Deno.test({
    name: `${how} at the local REPL with SSH connections open asks to be repeated, then says they close`,
    sanitizeResources: false,
    async fn() {
      await using tmp = await tempDir();
      const port = freePort();
      await using pty = new PtySession(["--enable-ssh", "-p", String(port), "--data-root-dir", tmp.dir], {
        size: { cols: 120, rows: 30 },
      });
      let at = await pty.waitFor(">>> ");
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      try {
        await conn.write(new TextEncoder().encode("SSH-2.0-probe\r\n"));
        await conn.read(new Uint8Array(256)); // the server's version line: the connection is open
        await pty.type(keys);
        at = await pty.waitFor(
          "1 SSH connection open: they close when this REPL ends; type !quit again to leave",
          at,
        );
        at = await pty.waitFor(">>> ", at);
        await pty.type(keys);
        at = await pty.waitFor("Farewell! Have a great day!", at);
        await pty.waitFor("iridium: 1 SSH connection open: closed", at);
        assertEquals(await pty.exitCode(), 0);
      } finally {
        conn.close();
      }
    },
  });
}
