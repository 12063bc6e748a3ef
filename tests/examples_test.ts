/**
 * Every program in examples/ carries its expected output inline (`; expect: LINE`, one per output line,
 * in order; `; expect fault: MESSAGE` for a program that must fault) and runs through every front end:
 * the CLI in-process, `deno task start FILE` as a subprocess, and the REPL's `!load_file`.
 */
import { IRIDIUM_RUN_ARGS } from "./support/cli.ts";
import { assertEquals, assertStringIncludes } from "./assert.ts";
import { runCli } from "../src/cli/main.ts";
import { captureIo } from "../src/cli/io.ts";
import { ReplSession } from "../src/repl/session.ts";
import { defaultOf } from "../src/cli/spec.ts";
import { fileURLToPath } from "node:url";

const ROOT = new URL("../", import.meta.url);
const EXAMPLES = new URL("examples/", ROOT);

interface Expectation {
  stdout: string;
  fault?: string;
}

function expectationOf(source: string): Expectation {
  const lines = [...source.matchAll(/; expect: (.*)$/gm)].map((m) => `${m[1].trimEnd()}\n`);
  const fault = /; expect fault: (.*)$/m.exec(source)?.[1].trimEnd();
  return { stdout: lines.join(""), fault };
}

const files = [...Deno.readDirSync(EXAMPLES)]
  .filter((entry) => entry.isFile && entry.name.endsWith(".iasm"))
  .map((entry) => entry.name)
  .sort();

Deno.test("examples/ holds a program for each area of the machine", () => {
  for (
    const name of [
      "hello",
      "factorial",
      "fibonacci",
      "floats",
      "heap",
      "big_constants",
      "fault",
      "gcd",
      "jump_table",
    ]
  ) {
    assertEquals(files.includes(`${name}.iasm`), true, name);
  }
});

for (const name of files) {
  const path = fileURLToPath(new URL(name, EXAMPLES));
  const expected = expectationOf(Deno.readTextFileSync(path));

  Deno.test(`examples/${name} prints its expected output through the CLI in-process`, async () => {
    const io = captureIo();
    const status = await runCli([path], io);
    assertEquals(io.out, expected.stdout);
    assertEquals(status, expected.fault ? 1 : 0, io.err);
    if (expected.fault) assertEquals(io.err.split("\n")[0], `fault: ${expected.fault}`);
  });

  Deno.test(`examples/${name} prints its expected output through 'deno task start'`, async () => {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [...IRIDIUM_RUN_ARGS, `examples/${name}`],
      cwd: fileURLToPath(ROOT),
      stdin: "null",
      env: { NO_COLOR: "1" },
    }).output();
    const err = new TextDecoder().decode(stderr);
    assertEquals(new TextDecoder().decode(stdout), expected.stdout);
    assertEquals(code, expected.fault ? 1 : 0, err);
    if (expected.fault) assertStringIncludes(err, `fault: ${expected.fault}\n`);
  });

  Deno.test(`examples/${name} prints its expected output through the REPL's !load_file`, async () => {
    let out = "";
    const session = new ReplSession({
      write: (text) => out += text,
      heapLimit: defaultOf("heap-limit") as number,
      stackLimit: defaultOf("stack-limit") as number,
    });
    await session.handleLine(`!load_file ${path}`);
    assertEquals(out, expected.stdout + (expected.fault ? `fault: ${expected.fault}\n` : ""));
    assertEquals(session.lastRunFaulted, expected.fault !== undefined);
  });
}
