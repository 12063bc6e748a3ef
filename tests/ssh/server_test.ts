/**
 * The SSH server end to end: `iridium --daemon` as a subprocess, the real OpenSSH client, keys made by
 * ssh-keygen, a temp data root and a free loopback port. Every test stops what it started.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import {
  freePort,
  generateKey,
  makeTempDir,
  run,
  runCliProcess,
  ServerProcess,
  SshChild,
  sshOptions,
  writeKnownHosts,
} from "./_harness.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";

/** A server with one authorized key, and ssh bound to it. */
interface Fixture {
  dir: string;
  server: ServerProcess;
  key: string;
  knownHosts: string;
  ssh(args: string[], stdin?: string, identity?: string): ReturnType<typeof run>;
  options(identity?: string): string[];
}

async function withServer(extraArgs: string[], body: (f: Fixture) => Promise<void>): Promise<void> {
  const dir = await makeTempDir();
  const root = join(dir, "data");
  let server: ServerProcess | null = null;
  try {
    const key = await generateKey(dir, "alice");
    const io = captureIo();
    assertEquals(await runCli(["add-ssh-key", `${key}.pub`, "--data-root-dir", root], io), 0, io.err);
    server = await ServerProcess.start(root, extraArgs);
    const knownHosts = join(dir, "known_hosts");
    await writeKnownHosts(knownHosts, root, [server.port]);
    const port = server.port;
    const options = (identity = key) => sshOptions(knownHosts, identity, port);
    const ssh = (args: string[], stdin?: string, identity = key) =>
      run("ssh", [...options(identity), ...args], { stdin, timeoutMs: 60_000 });
    await body({ dir, server, key, knownHosts, ssh, options });
  } finally {
    await server?.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("ssh runs an exec command and a piped shell as REPL lines, with exit status 0 or 1", async () => {
  await withServer([], async ({ server, ssh }) => {
    const exec = await ssh(["127.0.0.1", "load $0 #7\nprti $0"]);
    assertEquals([exec.code, exec.stdout], [0, "7\n"], exec.stderr);
    const piped = await ssh(["-T", "127.0.0.1"], "load $1 #40\nload $2 #2\nadd $1 $2 $3\nprti $3\n");
    assertEquals([piped.code, piped.stdout], [0, "42\n"], piped.stderr);
    const fault = await ssh(["127.0.0.1", "load $0 #1\nload $1 #0\ndiv $0 $1 $2"]);
    assertEquals(fault.code, 1);
    assertStringIncludes(fault.stdout, "division by zero");
    const typo = await ssh(["-T", "127.0.0.1"], "!nosuch\nprti $0\n");
    assertEquals([typo.code, typo.stdout.endsWith("0\n")], [1, true], typo.stderr);
    await server.waitForStderr(
      /ssh: login user=\S+ key=alice@test fingerprint=SHA256:\S+ from=127\.0\.0\.1:\d+/,
    );
    await server.waitForStderr("ssh: disconnect");
    const audit = await Deno.readTextFile(join(server.dataRoot, "audit.log"));
    assertMatch(audit, /^\d{4}-\S+Z login user=/m);
    assertEquals((await Deno.stat(join(server.dataRoot, "audit.log"))).mode! & 0o777, 0o600);
  });
});

Deno.test("an unknown key, a password and `none` are refused with status 255 and logged", async () => {
  await withServer([], async ({ dir, server, ssh }) => {
    const stranger = await generateKey(dir, "stranger");
    const unknown = await ssh(["127.0.0.1", "prti $0"], undefined, stranger);
    assertEquals(unknown.code, 255);
    assertStringIncludes(unknown.stderr, "Permission denied (publickey)");
    for (const method of ["password", "keyboard-interactive", "none"]) {
      const refused = await ssh(["-o", `PreferredAuthentications=${method}`, "127.0.0.1", "prti $0"]);
      assertEquals(refused.code, 255, method);
      assertEquals(refused.stdout, "");
    }
    await server.waitForStderr(/ssh: refused user=\S+ method=publickey reason="unknown key" offered=SHA256:/);
  });
});

Deno.test("the host key survives a restart and a removed key is refused without one", async () => {
  const dir = await makeTempDir();
  const root = join(dir, "data");
  const servers: ServerProcess[] = [];
  try {
    const key = await generateKey(dir, "alice");
    const spare = await generateKey(dir, "bob");
    for (const k of [key, spare]) {
      assertEquals(await runCli(["add-ssh-key", `${k}.pub`, "--data-root-dir", root], captureIo()), 0);
    }
    const first = await ServerProcess.start(root);
    servers.push(first);
    const secondPort = freePort();
    const knownHosts = join(dir, "known_hosts");
    // Pinned from the first start only: the second server must present the very same key.
    await writeKnownHosts(knownHosts, root, [first.port, secondPort]);
    const before = await run("ssh", [...sshOptions(knownHosts, key, first.port), "127.0.0.1", "prti $0"]);
    assertEquals([before.code, before.stdout], [0, "0\n"], before.stderr);
    assertEquals((await first.stop()).code, 0);

    const second = await ServerProcess.start(root, ["-p", String(secondPort)]);
    servers.push(second);
    const after = await run("ssh", [...sshOptions(knownHosts, spare, secondPort), "127.0.0.1", "prti $0"]);
    assertEquals([after.code, after.stdout], [0, "0\n"], after.stderr);
    const io = captureIo();
    assertEquals(await runCli(["remove-ssh-key", "bob@test", "--data-root-dir", root], io), 0, io.err);
    const removed = await run("ssh", [...sshOptions(knownHosts, spare, secondPort), "127.0.0.1", "prti $0"]);
    assertEquals(removed.code, 255);
    const still = await run("ssh", [...sshOptions(knownHosts, key, secondPort), "127.0.0.1", "prti $0"]);
    assertEquals(still.code, 0, still.stderr);
  } finally {
    for (const server of servers) await server.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a pty session shows the banner and prompt, runs a line, and !quit closes only it", async () => {
  await withServer([], async ({ options }) => {
    const client = new SshChild([...options(), "-tt", "127.0.0.1"]);
    try {
      let at = await client.waitFor("Welcome to Iridium! Let's be productive!\r\n");
      at = await client.waitFor(">>> ", at);
      await client.write("load $0 #7\r");
      at = await client.waitFor(">>> ", at);
      await client.write("prti $0\r");
      at = await client.waitFor("7\r\n", at);
      await client.waitFor(">>> ", at);
      await client.write("!quit\r");
      await client.waitFor("Farewell! Have a great day!");
      assertEquals((await client.close()).code, 0);
    } finally {
      client.kill();
    }
  });
});

Deno.test("20 concurrent sessions each keep their own registers", async () => {
  // 20 logins at once from one address: past the defaults of the unauthenticated stage (10 per source).
  const startups = ["--ssh-max-startups", "32:30:100", "--ssh-max-startups-per-source", "32"];
  await withServer(startups, async ({ ssh }) => {
    const sessions = Array.from({ length: 20 }, (_, i) => {
      // Each counts to 2000 before printing, so the sessions overlap in time.
      const lines = [
        `load $0 #${i + 100}`,
        "load $2 #2000",
        "again: inc $1",
        "neq $1 $2",
        "djmpe @again",
        "prti $0",
      ];
      return ssh(["-T", "127.0.0.1"], lines.join("\n") + "\n");
    });
    const results = await Promise.all(sessions);
    results.forEach((result, i) => {
      assertEquals([result.code, result.stdout], [0, `${i + 100}\n`], result.stderr);
    });
  });
});

Deno.test("an endless loop in one session leaves another answering", async () => {
  await withServer([], async ({ options }) => {
    const looping = new SshChild([...options(), "-T", "127.0.0.1"]);
    const other = new SshChild([...options(), "-T", "127.0.0.1"]);
    try {
      await other.write("prti $0\n");
      let at = await other.waitFor("0\n");
      await looping.write("load $0 #0\nload $1 #1\nprti $1\nspin: jmp $0\n");
      await looping.waitFor("1\n");
      await new Promise((resolve) => setTimeout(resolve, 300)); // the loop is well under way
      const latencies: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await other.write(`load $5 #${i + 1}\nprti $5\n`);
        at = await other.waitFor(`${i + 1}\n`, at);
        latencies.push(performance.now() - started);
      }
      latencies.sort((a, b) => a - b);
      // Generous, as the machine may be shared: a loop that kept the server's thread would hold every
      // reply until the loop ends, which it never does.
      assert(
        latencies[2] < 1000,
        `median latency ${latencies[2].toFixed(0)} ms (all: ${latencies.join(", ")})`,
      );
      assertEquals((await other.close()).code, 0);
    } finally {
      looping.kill();
      other.kill();
    }
  });
});

Deno.test("a silent session is closed after --ssh-idle-timeout", async () => {
  await withServer(["--ssh-idle-timeout", "2"], async ({ options, server }) => {
    const client = new SshChild([...options(), "-T", "127.0.0.1"]);
    try {
      await client.write("prti $0\n");
      await client.waitFor("0\n");
      // stdin stays open and silent: only the server can end this session.
      const timer = setTimeout(() => client.kill(), 30_000);
      await client.status.finally(() => clearTimeout(timer));
      assertStringIncludes(client.stderr, "closing the connection: idle for 2 s");
    } finally {
      client.kill();
    }
    await server.waitForStderr('reason="idle for 2 s"', 20_000);
  });
});

Deno.test("--ssh-idle-timeout does not cut a session whose program runs silently", async () => {
  await withServer(["--ssh-idle-timeout", "1"], async ({ options }) => {
    // An endless silent loop; 4 s is four idle timeouts, and the client stays open meanwhile.
    const client = new SshChild([...options(), "-T", "127.0.0.1"]);
    try {
      await client.write("prti $0\n");
      await client.waitFor("0\n");
      await client.write("load $1 #8\ninc $0\njmp $1\n"); // jumps back to the inc at 0x0008
      let exited = false;
      client.status.then(() => exited = true);
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      assertEquals([exited, client.stderr.includes("idle")], [false, false], client.stderr);
    } finally {
      client.kill();
    }
  });
});

Deno.test("--ssh-max-connections refuses one connection too many with a message", async () => {
  await withServer(["--ssh-max-connections", "1"], async ({ options, ssh }) => {
    const holder = new SshChild([...options(), "-T", "127.0.0.1"]);
    try {
      await holder.write("prti $0\n");
      await holder.waitFor("0\n");
      const refused = await ssh(["127.0.0.1", "prti $0"]);
      assertEquals([refused.code, refused.stdout], [1, ""]);
      assertStringIncludes(refused.stderr, "too many connections to this server (at most 1)");
      assertEquals((await holder.close()).code, 0);
    } finally {
      holder.kill();
    }
  });
});

Deno.test("--daemon exits 0 on SIGTERM, telling open sessions; a port in use is one line and status 1", async () => {
  await withServer([], async ({ server, options }) => {
    const client = new SshChild([...options(), "-T", "127.0.0.1"]);
    const stopLater: SshChild[] = [];
    try {
      await client.write("prti $0\n");
      await client.waitFor("0\n");
      const inUse = await runCliProcess([
        "--daemon",
        "--data-root-dir",
        server.dataRoot,
        "-p",
        String(server.port),
      ]);
      assertEquals(inUse.code, 1);
      const lines = inUse.stderr.split("\n").filter((l) => l.startsWith("iridium"));
      assertEquals(lines, [`iridium: error: cannot listen on 127.0.0.1:${server.port}: address in use`]);
      // A session whose program runs when the server stops did not finish: its status is not 0.
      const busy = new SshChild([...options(), "-T", "127.0.0.1"]);
      stopLater.push(busy);
      await busy.write("prti $0\nload $1 #4\ninc $0\njmp $1\n");
      await busy.waitFor("0\n");
      assertEquals((await server.stop("SIGTERM")).code, 0);
      assertEquals((await client.status).code, 0, "an idle session ends normally");
      assertStringIncludes(client.stderr, "the server is shutting down");
      assertEquals((await busy.status).code, 1);
      assertStringIncludes(busy.stderr, "the server is shutting down");
    } finally {
      client.kill();
      for (const other of stopLater) other.kill();
    }
  });
});

Deno.test("garbage and truncated handshakes do not stop the server", async () => {
  await withServer([], async ({ ssh, server }) => {
    const payloads = [
      new TextEncoder().encode("GET / HTTP/1.0\r\n\r\n"),
      new Uint8Array(4096).map((_, i) => (i * 31 + 7) % 256),
      new TextEncoder().encode("SSH-2.0-OpenSSH_9.2\r\n\x00\x00\x01\x00\x05"),
      new TextEncoder().encode("SSH-2.0-x\r\n").slice(0, 6),
    ];
    for (const payload of payloads) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      try {
        await conn.write(payload);
        await new Promise((resolve) => setTimeout(resolve, 100));
      } finally {
        conn.close();
      }
    }
    const after = await ssh(["127.0.0.1", "prti $0"]);
    assertEquals([after.code, after.stdout], [0, "0\n"], after.stderr);
  });
});
