import { IRIDIUM_RUN_ARGS } from "../support/cli.ts";
import { assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/main.ts";
import { captureIo } from "../../src/cli/io.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

async function withProgram(source: string, run: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "iridium_run_test_" });
  try {
    const path = `${dir}/program.iasm`;
    await Deno.writeTextFile(path, source);
    await run(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** `deno task start ARGS` with `stdin` piped in; never a terminal. */
async function runMain(args: string[], stdin: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...IRIDIUM_RUN_ARGS, ...args],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  try {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
    const { code, stdout, stderr } = await child.output();
    return { code, stdout: new TextDecoder().decode(stdout), stderr: new TextDecoder().decode(stderr) };
  } finally {
    try {
      child.kill();
    } catch {
      // Already exited.
    }
  }
}

Deno.test("iridium FILE exits 0 at hlt with the program's output on stdout", async () => {
  await withProgram("load $0 #42\nprti $0\nhlt\n", async (path) => {
    const io = captureIo();
    assertEquals(await runCli([path], io), 0);
    assertEquals(io.out, "42\n");
    assertEquals(io.err, "");
  });
});

Deno.test("iridium FILE exits 1 on a fault, output first and the fault message on stderr", async () => {
  await withProgram("load $0 #1\nprti $0\npop $1\nhlt\n", async (path) => {
    const io = captureIo();
    assertEquals(await runCli([path], io), 1);
    assertEquals(io.out, "1\n");
    assertEquals(io.err, `fault: empty stack at 0x0008 (pop $1)\n  at ${path}:3: pop $1\n`);
  });
  await withProgram("nop\n", async (path) => {
    const io = captureIo();
    assertEquals(await runCli([path], io), 1);
    assertEquals(io.err, `fault: no hlt at 0x0004 (ran off the end of the code)\n  after ${path}:1: nop\n`);
  });
});

Deno.test("a fault in a file names its source line and labels, through a load expanded to two instructions", async () => {
  const source = "load $0 #1\nload $1 #0\ntop:\n  load $2 #70000 ; two instructions\n  div $0 $1 $2\n" +
    "  djmpe @top\nhlt\n";
  await withProgram(source, async (path) => {
    const io = captureIo();
    assertEquals(await runCli([path], io), 1);
    assertEquals(io.err, `fault: division by zero at 0x0010 (div $0 $1 $2)\n  at ${path}:5: div $0 $1 $2\n`);
  });
  // The instruction shown names its label, as the REPL's fault messages do.
  await withProgram("nop\nforever: call @forever\nhlt\n", async (path) => {
    const io = captureIo();
    assertEquals(await runCli([path, "--stack-limit", "4"], io), 1);
    assertEquals(
      io.err,
      `fault: stack overflow at 0x0004 (call @forever)\n  at ${path}:2: forever: call @forever\n`,
    );
  });
  await withProgram("top: load $0 #0\ndiv $0 $0 $0\ndjmpe @top\nhlt\n", async (path) => {
    const io = captureIo();
    await runCli([path], io);
    assertStringIncludes(io.err, `at ${path}:2: div $0 $0 $0`);
  });
});

Deno.test("iridium FILE exits 1 with the rendered diagnostics for an assembly error", async () => {
  await withProgram("nop\nlaod $0 #1\nhlt\n", async (path) => {
    const io = captureIo();
    assertEquals(await runCli([path], io), 1);
    assertEquals(io.out, "");
    assertMatch(io.err, /program\.iasm:2:1: error: unknown mnemonic 'laod'.*\nlaod \$0 #1\n\^\^\^\^\n/);
  });
});

Deno.test("iridium FILE exits 1 for a file that cannot be read", async () => {
  const io = captureIo();
  assertEquals(await runCli(["/nonexistent/iridium/program.iasm"], io), 1);
  assertStringIncludes(io.err, "/nonexistent/iridium/program.iasm");
});

Deno.test("iridium FILE applies --heap-limit and --stack-limit, in pairs just inside and just past", async () => {
  await withProgram("load $0 #8\naloc $0\nhlt\n", async (path) => {
    assertEquals(await runCli(["--heap-limit", "72", path], captureIo()), 0);
    const io = captureIo();
    assertEquals(await runCli(["--heap-limit", "71", path], io), 1);
    assertStringIncludes(io.err, "fault: heap limit exceeded");
  });
  await withProgram("push $0\npush $0\nhlt\n", async (path) => {
    assertEquals(await runCli(["--stack-limit", "2", path], captureIo()), 0);
    const io = captureIo();
    assertEquals(await runCli(["--stack-limit", "1", path], io), 1);
    assertStringIncludes(io.err, "fault: stack overflow");
  });
});

Deno.test("iridium with a script on stdin prints only the program output and exits 0", async () => {
  const { code, stdout } = await runMain(
    [],
    "load $0 #7\nprti $0\n\n.data\nm: .asciiz 'ok\\n'\n.code\nprts @m\n",
  );
  assertEquals(stdout, "7\nok\n");
  assertEquals(code, 0);
});

Deno.test("iridium with a script on stdin exits 1 when the last program faulted", async () => {
  const { code, stdout } = await runMain([], "load $0 #7\ndiv $0 $1 $2\n");
  assertEquals(stdout, "fault: division by zero at 0x0004 (div $0 $1 $2)\n");
  assertEquals(code, 1);
});

Deno.test("iridium with a script on stdin exits 1 after an assembly error, though the lines after it run", async () => {
  const { code, stdout } = await runMain([], "lod $0 #7\nload $0 #2\nprti $0\n");
  assertStringIncludes(stdout, "unknown mnemonic");
  assertStringIncludes(stdout, "2\n");
  assertEquals(code, 1);
});

Deno.test("iridium --daemon serves SSH without a REPL until SIGTERM, then exits 0", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const dataRoot = await Deno.makeTempDir({ prefix: "iridium_daemon_test_" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [...IRIDIUM_RUN_ARGS, "--daemon", "--ssh-port", String(port), "--data-root-dir", dataRoot],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  try {
    let stderr = "";
    const decoder = new TextDecoder();
    const reading = (async () => {
      for await (const chunk of child.stderr) stderr += decoder.decode(chunk, { stream: true });
    })();
    const deadline = Date.now() + 20_000;
    while (!stderr.includes(`listening on 127.0.0.1:${port}`)) {
      if (Date.now() > deadline) throw new Error(`the daemon did not start; stderr:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill("SIGTERM");
    const { code } = await child.status;
    await reading;
    assertEquals(code, 0, stderr);
    assertEquals(new TextDecoder().decode(await new Response(child.stdout).arrayBuffer()), "");
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited.
    }
    await child.status;
    await Deno.remove(dataRoot, { recursive: true });
  }
});

Deno.test("!add_ssh_key in the local REPL authorizes a key in the data root, as add-ssh-key does", async () => {
  const dataRoot = await Deno.makeTempDir({ prefix: "iridium_key_test_" });
  try {
    const key = `${dataRoot}/k.pub`;
    await Deno.writeTextFile(
      key,
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINnH8gA2SsJiPpePvkxRjYe34Ad4WR+ryFtgUjOmPMzN tester\n",
    );
    const script = `!add_ssh_key ${key}\n!add_ssh_key ${dataRoot}/missing.pub\n`;
    const { code, stdout } = await runMain(["--data-root-dir", `${dataRoot}/root`], script);
    assertEquals(code, 1); // the second line fails
    assertMatch(stdout, /^authorized 'tester': ssh-ed25519 SHA256:\S+\nerror: cannot read '.*missing\.pub'/);
    assertStringIncludes(await Deno.readTextFile(`${dataRoot}/root/authorized_keys`), "tester");
  } finally {
    await Deno.remove(dataRoot, { recursive: true });
  }
});

/** Runs `iridium ARGS`, reads its stdout until `wanted` appears, then closes the pipe as `head` does. */
async function runUntilReaderLeaves(args: string[], stdin: string, wanted: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...IRIDIUM_RUN_ARGS, ...args],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const reader = child.stdout.getReader();
  let seen = "";
  while (!seen.includes(wanted)) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += new TextDecoder().decode(value);
  }
  await reader.cancel();
  const stderr = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
  return { code: (await child.status).code, stderr };
}

Deno.test("iridium FILE and the piped REPL end quietly with status 141 when the reader of stdout leaves", async () => {
  await withProgram("load $0 #7\nload $1 #8\nprti $0\njmp $1\n", async (path) => {
    const file = await runUntilReaderLeaves([path], "", "7\n");
    assertEquals([file.code, file.stderr], [141, ""]);
  });
  const piped = await runUntilReaderLeaves([], "load $0 #7\nload $1 #8\nprti $0\njmp $1\n", "7\n");
  assertEquals([piped.code, piped.stderr], [141, ""]);
});

Deno.test("a data root or listen address that cannot be used is named, in plain words", async () => {
  await withProgram("hlt\n", async (path) => {
    const io = captureIo();
    assertEquals(await runCli(["list-ssh-keys", "--data-root-dir", `${path}/root`], io), 1);
    assertEquals(
      io.err,
      `iridium: error: cannot use the data root '${path}/root': a part of the path is not a directory\n`,
    );
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this host.
    const args = ["--daemon", "--ssh-host", "192.0.2.1", "-p", String(port), "--data-root-dir", `${path}.d`];
    const { code, stderr } = await runMain(args, "");
    assertEquals(code, 1);
    assertStringIncludes(
      stderr,
      `iridium: error: cannot listen on 192.0.2.1:${port}: not an address of this host`,
    );
    await Deno.remove(`${path}.d`, { recursive: true }).catch(() => {});
  });
});

Deno.test("iridium FILE says an empty or comment-only program is empty, rather than 'no hlt'", async () => {
  for (const source of ["", "; nothing but a comment\n\n", ".data\ns: .asciiz 'x'\n"]) {
    await withProgram(source, async (path) => {
      const io = captureIo();
      assertEquals(await runCli([path], io), 1);
      assertEquals(io.err, `iridium: error: '${path}' has no instructions: the program is empty\n`);
    });
  }
});
