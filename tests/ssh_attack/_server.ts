/**
 * The server under attack: `iridium --daemon` as a subprocess on a free loopback port, with its PID (for
 * /proc), its stderr (the audit lines), one authorized key, and the real OpenSSH client bound to it.
 * Built on tests/ssh/_harness.ts; everything started here is stopped in `close()`.
 */
import { join } from "node:path";
import { IRIDIUM_RUN_ARGS } from "../support/cli.ts";
import { assertEquals } from "../assert.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import {
  freePort,
  generateKey,
  makeTempDir,
  REPO_ROOT,
  run,
  sshOptions,
  writeKnownHosts,
} from "../ssh/_harness.ts";

/** A running daemon with one authorized user. */
export class TargetServer {
  readonly port: number;
  readonly pid: number;
  readonly dir: string;
  readonly dataRoot: string;
  /** The authorized user's private key file. */
  readonly key: string;
  readonly knownHosts: string;
  #child: Deno.ChildProcess;
  #stderr = "";
  #exited = false;

  private constructor(fields: { child: Deno.ChildProcess; port: number; dir: string; key: string }) {
    this.#child = fields.child;
    this.pid = fields.child.pid;
    this.port = fields.port;
    this.dir = fields.dir;
    this.dataRoot = join(fields.dir, "data");
    this.key = fields.key;
    this.knownHosts = join(fields.dir, "known_hosts");
    fields.child.status.then(() => this.#exited = true);
  }

  /** Everything the server wrote to stderr so far (its listening line and audit lines). */
  get stderr(): string {
    return this.#stderr;
  }

  /** Starts a daemon with `extraArgs`; rejects (after stopping it) if it does not listen within 60 s. */
  static async start(extraArgs: string[] = []): Promise<TargetServer> {
    const dir = await makeTempDir();
    const key = await generateKey(dir, "alice");
    const io = captureIo();
    assertEquals(
      await runCli(["add-ssh-key", `${key}.pub`, "--data-root-dir", join(dir, "data")], io),
      0,
      io.err,
    );
    const port = freePort();
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        ...IRIDIUM_RUN_ARGS,
        "--daemon",
        "--data-root-dir",
        join(dir, "data"),
        "-p",
        String(port),
        ...extraArgs,
      ],
      cwd: REPO_ROOT,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const server = new TargetServer({ child, port, dir, key });
    const ready = Promise.withResolvers<void>();
    (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of child.stderr) {
        server.#stderr += decoder.decode(chunk, { stream: true });
        if (server.#stderr.includes("listening on")) ready.resolve();
      }
      ready.reject(new Error(`the server exited before listening:\n${server.#stderr}`));
    })();
    const timer = setTimeout(
      () => ready.reject(new Error(`no "listening" line:\n${server.#stderr}`)),
      60_000,
    );
    try {
      await ready.promise;
      await writeKnownHosts(server.knownHosts, server.dataRoot, [port]);
    } catch (error) {
      await server.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return server;
  }

  /** True while the process runs. */
  isAlive(): boolean {
    return !this.#exited;
  }

  /** Resident memory of the server process, in KiB (VmRSS of /proc/PID/status). */
  async residentKib(): Promise<number> {
    const status = await Deno.readTextFile(`/proc/${this.pid}/status`);
    return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  }

  /** CPU time the server process has used, in clock ticks (utime + stime of /proc/PID/stat). */
  async cpuTicks(): Promise<number> {
    const stat = await Deno.readTextFile(`/proc/${this.pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  }

  /** OpenSSH options for the authorized user (or `identity`). */
  sshArgs(identity = this.key): string[] {
    return sshOptions(this.knownHosts, identity, this.port);
  }

  /** The authorized user runs REPL lines with `ssh host LINES`. */
  ssh(lines: string, identity = this.key) {
    return run("ssh", [...this.sshArgs(identity), "127.0.0.1", lines], { timeoutMs: 30_000 });
  }

  /** Stops the server (SIGKILL: these tests care about what happened before) and removes its files. */
  async close(): Promise<void> {
    try {
      this.#child.kill("SIGKILL");
    } catch { /* already gone */ }
    await this.#child.status;
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}

/** Runs `body` against a fresh server, always stopping it. */
export async function withTargetServer(
  extraArgs: string[],
  body: (server: TargetServer) => Promise<void>,
): Promise<void> {
  const server = await TargetServer.start(extraArgs);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `tasks` with at most `width` at a time; resolves to their results in order. */
export async function inBatches<T>(
  count: number,
  width: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
  return results;
}
