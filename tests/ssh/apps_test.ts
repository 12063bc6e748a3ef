/**
 * Applications end to end, through the CLI and the real OpenSSH client: `iridium app deploy` before and
 * while a daemon runs, `!send` to an application by name, a spawned process finding it with `whereis`,
 * the replies read in its logs, a faulting application restarted with back-off and then failed, and a
 * daemon restart that brings the applications back with their logs.
 *
 * Mutations checked: without the supervisor's polling the application deployed while the daemon runs
 * never starts; with back-off not doubling the log shows 0.1 s twice; without the failed state the
 * crashing application backs off for ever; with logs kept in memory only the second daemon shows none.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { generateKey, makeTempDir, run, ServerProcess, sshOptions, writeKnownHosts } from "./_harness.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";

const ECHO = "; answers each message with twice its value, to its sender\n" +
  "top: recv $0 $1\nprti $0\nadd $0 $0 $2\nsend $1 $2\ndjmp @top\n";
const CLIENT =
  ".data\nname: .asciiz 'echo'\n.code\nwhereis $5 @name\nload $0 #21\nsend $5 $0\nrecv $1 $2\nprti $1\nhlt\n";
const CRASH = "load $0 #0\ndiv $0 $0 $1\nhlt\n";

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

Deno.test("applications deploy, talk, restart with back-off, fail, and come back with their logs", async () => {
  const dir = await makeTempDir();
  const root = join(dir, "data");
  const flags = ["--app-backoff", "100", "--ssh-files-dir", dir, "--threads", "2"];
  let server: ServerProcess | undefined;
  try {
    for (const [name, text] of [["echo", ECHO], ["client", CLIENT], ["crash", CRASH]]) {
      await Deno.writeTextFile(join(dir, `${name}.iasm`), text);
    }
    const cli = async (...args: string[]) => {
      const io = captureIo();
      const code = await runCli([...args, "--data-root-dir", root], io);
      return { code, stdout: io.out, stderr: io.err };
    };
    assertEquals((await cli("app", "deploy", "echo", join(dir, "echo.iasm"), "--restart", "always")).code, 0);
    const key = await generateKey(dir, "alice");
    assertEquals((await cli("add-ssh-key", `${key}.pub`)).code, 0);

    server = await ServerProcess.start(root, flags);
    const knownHosts = join(dir, "known_hosts");
    await writeKnownHosts(knownHosts, root, [server.port]);
    const ssh = async (line: string) => {
      const result = await run("ssh", [...sshOptions(knownHosts, key, server!.port), "127.0.0.1", line]);
      return result.stdout + result.stderr;
    };

    // Deployed by another process while the daemon runs: picked up by polling.
    const deployed = await cli("app", "deploy", "crash", join(dir, "crash.iasm"));
    assertEquals(deployed.stdout, "deployed 'crash' (restart on-fault)\n");
    await until(() => ssh("!apps"), (text) => /\necho\s+waiting\s+\d+\s+0\s/.test(text), "echo waiting");

    assertMatch(await ssh("!send echo 5"), /^sent 5 to process \d+\n$/);
    const spawned = await ssh("!spawn client.iasm");
    assertMatch(spawned, /^started process (\d+)\n$/);
    const pid = spawned.match(/\d+/)![0];
    const logs = await until(() => ssh("!app logs echo"), (text) => text.includes("21\n"), "echo's log");
    assertMatch(logs, /-- started: process \d+\n5\n21\n/);
    assertEquals(await ssh(`!wait ${pid}`), `process ${pid} halted after 6 instructions\n`);
    assertEquals(await ssh(`!output ${pid}`), "42\n");

    const apps = await until(() => ssh("!apps"), (text) => /\ncrash\s+failed\s/.test(text), "crash failed");
    assertMatch(
      apps,
      /\ncrash\s+failed\s+-\s+5\s+-\s+fault: division by zero at 0x0004 \(div \$0 \$0 \$1\)\n/,
    );
    const crashLog = await ssh("!app logs crash");
    for (const delay of ["0.1", "0.2", "0.4", "0.8", "1.6"]) {
      assertStringIncludes(crashLog, `; restarting in ${delay} s\n`);
    }
    assertStringIncludes(crashLog, "failed: more than 5 restarts in 60 s\n");
    assertEquals(await ssh("!app start nope"), "error: no application named 'nope'\n");

    assertEquals((await server.stop()).code, 0);
    server = await ServerProcess.start(root, flags);
    await writeKnownHosts(knownHosts, root, [server.port]);
    await until(() => ssh("!apps"), (text) => /\necho\s+waiting\s/.test(text), "echo back");
    const kept = await ssh("!app logs echo");
    assertMatch(kept, /\n5\n21\n[^]*-- started: process \d+\n$/);
    assert((await cli("app", "list")).stdout.includes("echo"));
    assertEquals((await cli("app", "remove", "crash")).stdout, "removed 'crash'\n");
    await until(() => ssh("!apps"), (text) => !text.includes("crash"), "crash removed");
  } finally {
    await server?.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
