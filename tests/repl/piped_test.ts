/**
 * The REPL without a terminal (src/repl/piped.ts, and `iridium` with a pipe on standard input).
 *
 * Mutation caught: piped mode reading all input before running a line (runPiped() collecting the lines
 * first, or the CLI reading standard input to its end) fails "runs each line as it arrives" and "answers
 * each line before the next is written": both write a line only after the previous one's output came.
 */
import { assert, assertEquals } from "../assert.ts";
import { IRIDIUM_RUN_ARGS, REPO_ROOT } from "../support/cli.ts";
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

/**
 * Waits until `ready()` holds, polling; fails after `seconds` (generous: the machine is shared, and the
 * bound only turns a hang into a failure).
 */
async function waitFor(ready: () => boolean, what: string, seconds = 20): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

Deno.test("runPiped() runs each line as it arrives: the next line is written only after the output of the last", async () => {
  const repl = createSession();
  const lines = ["load $0 #1\nprti $0\n", "inc $0\nprti $0\n", "inc $0\nprti $0\n"];
  async function* input(): AsyncGenerator<string> {
    for (const [i, line] of lines.entries()) {
      yield line;
      await waitFor(() => repl.output() === ["1\n", "1\n2\n", "1\n2\n3\n"][i], `the output of line ${i + 1}`);
    }
  }
  assertEquals(await runPiped({ input: input(), session: repl.session }), 0);
  assertEquals(repl.output(), "1\n2\n3\n");
});

Deno.test("iridium with a pipe on standard input answers each line before the next is written", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...IRIDIUM_RUN_ARGS],
    cwd: REPO_ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
    env: { NO_COLOR: "1" },
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  const reading = (async () => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) out += chunk.value;
  })();
  try {
    for (const [i, expected] of ["5\n", "5\n6\n", "5\n6\n7\n"].entries()) {
      await writer.write(new TextEncoder().encode(i === 0 ? "load $0 #5\nprti $0\n" : "inc $0\nprti $0\n"));
      await waitFor(
        () => out === expected,
        `the answer to line ${i + 1} (output so far: ${JSON.stringify(out)})`,
      );
    }
  } finally {
    await writer.close();
    await reading;
  }
  const status = await child.status;
  assert(status.success, `exit status ${status.code}`);
  assertEquals(out, "5\n6\n7\n");
});
