/** The terminal front end on plain Node streams, the way the SSH server drives it with a channel. */
import { PassThrough } from "node:stream";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { runInteractive } from "../../src/repl/terminal.ts";
import { BANNER, FAREWELL } from "../../src/repl/session.ts";
import { plainText } from "./_pty.ts";
import { createSession, tempDir } from "./_helpers.ts";

function streams() {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = "";
  output.on("data", (chunk) => screen += String(chunk));
  const waitFor = async (pattern: RegExp | string, from = 0): Promise<number> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const text = plainText(screen).slice(from);
      const index = typeof pattern === "string" ? text.indexOf(pattern) : text.search(pattern);
      if (index >= 0) return from + index + 1;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${pattern}; screen:\n${plainText(screen)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  return { input, output, screen: () => plainText(screen), waitFor };
}

Deno.test("runInteractive() shows banner and prompt, runs lines, and resolves 0 at !quit", async () => {
  const io = streams();
  const { session } = createSession({ write: (text) => io.output.write(text) });
  const done = runInteractive({ input: io.input, output: io.output, session });
  let at = await io.waitFor(`${BANNER}\n>>> `);
  io.input.write("load $0 #7\rprti $0\r");
  at = await io.waitFor(/\n7\n>>> /, at);
  io.input.write("!quit\r");
  assertEquals(await done, 0);
  assertStringIncludes(io.screen(), `${FAREWELL}\n`);
  assertEquals(io.screen().split(FAREWELL).length, 2, "the farewell is printed once");
});

Deno.test("runInteractive() interrupts a running program on Ctrl-C and drops the lines typed meanwhile", async () => {
  const io = streams();
  const { session } = createSession({ write: (text) => io.output.write(text) });
  const done = runInteractive({ input: io.input, output: io.output, session });
  let at = await io.waitFor(">>> ");
  io.input.write("load $5 #4\rjmpb $5\r");
  while (!session.running) await new Promise((resolve) => setTimeout(resolve, 5));
  io.input.write("prti $5\r\x03");
  at = await io.waitFor(/\^C\ninterrupted at 0x0004 \(jmpb \$5\)\n>>> /, at);
  io.input.write("prti $5\r");
  at = await io.waitFor(/\n4\n>>> /, at);
  assert(!io.screen().includes("4\n4\n"));
  io.input.end();
  assertEquals(await done, 0);
});

Deno.test("runInteractive() prints the farewell at the end of input and interrupts a program still running", async () => {
  const io = streams();
  const { session } = createSession({ write: (text) => io.output.write(text) });
  const done = runInteractive({ input: io.input, output: io.output, session });
  await io.waitFor(">>> ");
  io.input.write("load $5 #4\rjmpb $5\r");
  while (!session.running) await new Promise((resolve) => setTimeout(resolve, 5));
  io.input.end(); // the connection dropped
  assertEquals(await done, 0);
  assertMatch(io.screen(), /interrupted at 0x0004 \(jmpb \$5\)\n\nFarewell! Have a great day!\n$/);
});

Deno.test("runInteractive() warns, without failing, when the history cannot be saved", async () => {
  await using tmp = await tempDir();
  const blocker = `${tmp.dir}/not_a_dir`;
  await Deno.writeTextFile(blocker, "");
  const io = streams();
  const { session } = createSession({ write: (text) => io.output.write(text) });
  const done = runInteractive({
    input: io.input,
    output: io.output,
    session,
    history: { file: `${blocker}/history`, size: 10 },
  });
  await io.waitFor(">>> ");
  io.input.write("nop\r");
  io.input.end();
  assertEquals(await done, 0);
  // The reason in plain words, not the OS's "Not a directory (os error 20)".
  assertStringIncludes(
    io.screen(),
    `warning: could not save the history to ${blocker}/history: a part of the path is not a directory`,
  );
});
