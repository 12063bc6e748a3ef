/**
 * The thread pool across front ends: a process spawned over SSH is visible and killable from the local REPL
 * and from another SSH session, all in one `iridium --enable-ssh --threads 2` process.
 */
import { join } from "node:path";
import { assertEquals, assertMatch } from "../assert.ts";
import {
  freePort,
  generateKey,
  makeTempDir,
  REPO_ROOT,
  run,
  sshOptions,
  writeKnownHosts,
} from "./_harness.ts";
import { IRIDIUM_RUN_ARGS } from "../support/cli.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";

/** Reads a child's stream into a growing string. */
function collect(stream: ReadableStream<Uint8Array>): { text: () => string; done: Promise<void> } {
  let text = "";
  const done = stream.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (chunk) => void (text += chunk) }),
  );
  return { text: () => text, done };
}

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

Deno.test("a process spawned over SSH is listed and killed from the local REPL and another SSH session", async () => {
  const dir = await makeTempDir();
  const root = join(dir, "data");
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      ...IRIDIUM_RUN_ARGS,
      "--enable-ssh",
      "-p",
      String(port),
      "--data-root-dir",
      root,
      "--ssh-files-dir",
      dir,
      "--threads",
      "2",
    ],
    cwd: REPO_ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const local = child.stdin.getWriter();
  try {
    const key = await generateKey(dir, "alice");
    assertEquals(await runCli(["add-ssh-key", `${key}.pub`, "--data-root-dir", root], captureIo()), 0);
    await until(() => stderr.text().includes("listening on"), "the server to listen");
    const knownHosts = join(dir, "known_hosts");
    await writeKnownHosts(knownHosts, root, [port]);
    const ssh = (line: string) => run("ssh", [...sshOptions(knownHosts, key, port), "127.0.0.1", line]);
    const loop = join(dir, "loop.iasm");
    await Deno.writeTextFile(loop, "top: jmp $31\n");

    const spawned = await ssh("!spawn loop.iasm"); // relative to --ssh-files-dir
    assertEquals([spawned.code, spawned.stdout], [0, "started process 1\n"], spawned.stderr);
    const listed = await ssh("!ps");
    // The key's name; still queued while the worker starts on a loaded machine.
    assertMatch(listed.stdout, /\n1\s+(running|queued)\s+\d+\s+\S+\s+alice\S*\s+loop\.iasm\n/);

    await local.write(new TextEncoder().encode("!ps\n"));
    await until(() => /\n1\s+running\s/.test(stdout.text()), "the local REPL to list process 1");

    const killed = await ssh("!kill 1");
    assertEquals(killed.stdout, "killed process 1\n");
    await local.write(new TextEncoder().encode("!ps\n"));
    await until(() => /\n1\s+killed\s/.test(stdout.text()), "the local REPL to see process 1 killed");

    // The local REPL spawns too; an SSH key may not stop that one, the local terminal may.
    await local.write(new TextEncoder().encode(`!spawn ${loop}\n`));
    await until(() => stdout.text().includes("started process 2\n"), "the local spawn");
    for (const command of ["!kill 2", "!output 2", "!wait 2"]) {
      assertEquals((await ssh(command)).stdout, "permission denied: process 2 belongs to 'local'\n");
    }
    assertMatch((await ssh("!ps")).stdout, /\n2\s+(running|queued)\s+\d+\s+\S+\s+local\s+loop\.iasm\n/);
    await local.write(new TextEncoder().encode("!kill 2\n"));
    await until(() => stdout.text().includes("killed process 2\n"), "the local kill");
  } finally {
    await local.close().catch(() => {});
    const status = await Promise.race([
      child.status,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000)),
    ]);
    if (status === null) child.kill("SIGKILL");
    await child.status;
    await Promise.allSettled([stdout.done, stderr.done]);
    await Deno.remove(dir, { recursive: true });
  }
});
