/**
 * --heap-limit and --stack-limit, tested in pairs just inside and just past: through the CLI (in-process
 * and as a real process, exit 1 with the fault on stderr) and in a REPL session, which goes on working
 * after the fault. Endless `aloc` and `push` loops fault instead of exhausting the host.
 */
import { join } from "node:path";
import { IRIDIUM_RUN_ARGS } from "../support/cli.ts";
import { assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { ReplSession } from "../../src/repl/session.ts";
import { REPO_ROOT, run } from "../ssh/_harness.ts";

/** Grows the heap 4 KiB at a time, forever. */
const ALOC_FOREVER = "load $0 #4096\nload $1 #8\naloc $0\njmp $1\n";
/** Pushes forever. */
const PUSH_FOREVER = "load $1 #4\npush $0\njmp $1\n";

/** Grows the heap from its 64 bytes by `bytes`, then halts. */
function alocOnce(bytes: number): string {
  return `load $0 #${bytes}\naloc $0\nhlt\n`;
}

/** Pushes `words` words (cloop N runs the body N + 1 times), then halts. */
function pushTimes(words: number): string {
  return `load $0 #1\ncloop #${words - 1}\ntop: push $0\nloop @top\nhlt\n`;
}

async function withProgram(source: string, body: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "iridium_limits_test_" });
  try {
    const path = join(dir, "program.iasm");
    await Deno.writeTextFile(path, source);
    await body(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function cli(args: string[]) {
  const io = captureIo();
  return { status: await runCli(args, io), out: io.out, err: io.err };
}

Deno.test("--heap-limit: a heap of exactly the limit runs, one byte more faults with exit 1", async () => {
  for (const limit of [64 + 100, 4096, 65536]) {
    await withProgram(alocOnce(limit - 64), async (path) => {
      assertEquals(await cli([path, "--heap-limit", String(limit)]), { status: 0, out: "", err: "" });
      const past = await cli([path, "--heap-limit", String(limit - 1)]);
      assertEquals(past.status, 1);
      assertMatch(past.err, /^fault: heap limit exceeded at 0x0004 \(aloc \$0\)\n {2}at .*:2: aloc \$0\n$/);
    });
  }
});

Deno.test("--stack-limit: exactly the limit of pushes runs, one more overflows with exit 1", async () => {
  for (const limit of [1, 2, 1000, 65535]) {
    await withProgram(pushTimes(limit), async (path) => {
      assertEquals(await cli([path, "--stack-limit", String(limit)]), { status: 0, out: "", err: "" });
      if (limit === 1) return; // 0 is below the option's range (see the next test)
      const past = await cli([path, "--stack-limit", String(limit - 1)]);
      assertEquals(past.status, 1);
      assertMatch(past.err, /^fault: stack overflow at 0x0008 \(push \$0\)\n {2}at .*:3: top: push \$0\n$/);
    });
  }
});

Deno.test("the limits' own ranges come from cli.yml: 64 and 1 are accepted, 63 and 0 are usage errors", async () => {
  await withProgram("hlt\n", async (path) => {
    assertEquals((await cli([path, "--heap-limit", "64"])).status, 0);
    assertEquals((await cli([path, "--stack-limit", "1"])).status, 0);
    assertEquals((await cli([path, "--heap-limit", "1073741824"])).status, 0);
    for (const args of [["--heap-limit", "63"], ["--stack-limit", "0"], ["--heap-limit", "1073741825"]]) {
      const result = await cli([path, ...args]);
      assertEquals(result.status, 2);
      assertStringIncludes(result.err, `invalid value '${args[1]}' for '${args[0]}'`);
    }
  });
});

Deno.test("endless aloc and push fault through the real CLI process with the default limits", async () => {
  for (const [source, fault] of [[ALOC_FOREVER, "heap limit exceeded"], [PUSH_FOREVER, "stack overflow"]]) {
    await withProgram(source, async (path) => {
      const result = await run(Deno.execPath(), [...IRIDIUM_RUN_ARGS, path], { cwd: REPO_ROOT });
      assertEquals(result.code, 1);
      assertStringIncludes(result.stderr, `fault: ${fault} at `);
      assertEquals(result.stderr.includes("    at "), false, result.stderr);
    });
  }
});

Deno.test("a REPL session faults on endless aloc and push, and its next line works", async () => {
  let output = "";
  const session = new ReplSession({ write: (text) => output += text, heapLimit: 1 << 20, stackLimit: 1000 });
  for (const [lines, fault] of [[ALOC_FOREVER, "heap limit exceeded"], [PUSH_FOREVER, "stack overflow"]]) {
    await session.handleLine("!clear_program");
    output = "";
    for (const line of lines.trim().split("\n")) await session.handleLine(line);
    assertStringIncludes(output, `fault: ${fault} at `);
    output = "";
    await session.handleLine("load $7 #77");
    await session.handleLine("prti $7");
    assertEquals(output, "77\n");
  }
});

Deno.test("the piped REPL process survives both faults and goes on to the next lines", async () => {
  const script = `${ALOC_FOREVER}load $7 #7\nprti $7\n!clear_program\n${PUSH_FOREVER}load $8 #8\nprti $8\n`;
  const child = new Deno.Command(Deno.execPath(), {
    args: [...IRIDIUM_RUN_ARGS, "--heap-limit", "65536", "--stack-limit", "100"],
    cwd: REPO_ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const output = await child.output();
  const out = new TextDecoder().decode(output.stdout);
  assertMatch(out, /fault: heap limit exceeded at 0x0008 \(aloc \$0\)\n7\n/);
  assertMatch(out, /fault: stack overflow at 0x0004 \(push \$0\)\n8\n$/);
  assertEquals(output.code, 1, "lines failed, so the status says so");
});
