import { assertEquals } from "../assert.ts";
import { runPiped } from "../../src/repl/piped.ts";
import { readLines } from "../../src/repl/lines.ts";
import { BANNER, PROMPT } from "../../src/repl/session.ts";
import { createSession } from "./_helpers.ts";

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? new TextEncoder().encode(part) : part;
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const line of lines) all.push(line);
  return all;
}

Deno.test("readLines() joins lines split across chunks, UTF-8 characters included, and keeps a last partial line", async () => {
  const bytes = new TextEncoder().encode("é\n");
  assertEquals(
    await collect(
      readLines(chunks("lo", "ad $0\r\nprti", " $0\n", bytes.subarray(0, 1), bytes.subarray(1), "end")),
    ),
    ["load $0", "prti $0", "é", "end"],
  );
  assertEquals(await collect(readLines(chunks())), []);
});

Deno.test("runPiped() prints only what the lines produce, no banner and no prompt, and ends with status 0", async () => {
  const repl = createSession();
  const status = await runPiped({
    input: chunks("load $0 #7\nprti $0\n\n!symbols\n"),
    session: repl.session,
  });
  assertEquals(status, 0);
  assertEquals(repl.output(), "7\nno symbols\n");
  assertEquals(repl.output().includes(BANNER) || repl.output().includes(PROMPT), false);
});

Deno.test("runPiped() reads a ReadableStream such as Deno.stdin.readable", async () => {
  const repl = createSession();
  const input = ReadableStream.from(chunks("load $0 #3\n", "prti $0"));
  assertEquals(await runPiped({ input, session: repl.session }), 0);
  assertEquals(repl.output(), "3\n");
});

Deno.test("runPiped() ends with status 1 when any line failed, even if later lines ran cleanly", async () => {
  const faulted = createSession();
  assertEquals(await runPiped({ input: chunks("div $0 $0 $1\n"), session: faulted.session }), 1);
  assertEquals(faulted.output(), "fault: division by zero at 0x0000 (div $0 $0 $1)\n");
  // A script's typo must fail `set -e`: each kind of failed line, followed by a clean one.
  for (const bad of ["div $0 $0 $1", "lod $0 #1", "!nosuch", "!history extra", "!load_file /nonexistent/x"]) {
    const repl = createSession();
    const status = await runPiped({ input: chunks(`${bad}\nload $0 #5\nprti $0\n`), session: repl.session });
    assertEquals(status, 1, bad);
    assertEquals(repl.output().endsWith("5\n"), true, "the lines after a failed one still run");
  }
});

Deno.test("runPiped() stops at !quit and leaves the rest of the input unread", async () => {
  const repl = createSession();
  assertEquals(await runPiped({ input: chunks("load $0 #1\n!quit\nprti $0\n"), session: repl.session }), 0);
  assertEquals(repl.output(), "Farewell! Have a great day!\n");
});
