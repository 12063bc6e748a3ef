/**
 * The server under attack: `iridium --daemon` as a subprocess on a free loopback port, with its PID (for
 * /proc), its stderr (the audit lines), one authorized key, and the real OpenSSH client bound to it.
 * Built on tests/ssh/_harness.ts; everything started here is stopped in `close()`.
 */
import { join } from "node:path";
import { assertEquals } from "../assert.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import {
  generateKey,
  makeTempDir,
  run,
  ServerProcess,
  sshOptions,
  writeKnownHosts,
} from "../ssh/_harness.ts";

/** A running daemon with one authorized user. */
export class TargetServer {
  readonly dir: string;
  /** The authorized user's private key file. */
  readonly key: string;
  readonly knownHosts: string;
  readonly #server: ServerProcess;

  private constructor(server: ServerProcess, dir: string, key: string) {
    this.#server = server;
    this.dir = dir;
    this.key = key;
    this.knownHosts = join(dir, "known_hosts");
  }

  get port(): number {
    return this.#server.port;
  }

  get pid(): number {
    return this.#server.pid;
  }

  get dataRoot(): string {
    return this.#server.dataRoot;
  }

  /** Everything the server wrote to stderr so far (its listening line and audit lines). */
  get stderr(): string {
    return this.#server.stderr;
  }

  /**
   * Starts a daemon with `extraArgs` and one authorized key; rejects if it does not listen within 60 s.
   * `launcher` runs it (see ServerProcess.start).
   */
  static async start(extraArgs: string[] = [], launcher: string[] = []): Promise<TargetServer> {
    const dir = await makeTempDir();
    try {
      const key = await generateKey(dir, "alice");
      const dataRoot = join(dir, "data");
      const io = captureIo();
      assertEquals(await runCli(["add-ssh-key", `${key}.pub`, "--data-root-dir", dataRoot], io), 0, io.err);
      const target = new TargetServer(await ServerProcess.start(dataRoot, extraArgs, launcher), dir, key);
      await writeKnownHosts(target.knownHosts, dataRoot, [target.port]).catch(async (error) => {
        await target.close();
        throw error;
      });
      return target;
    } catch (error) {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      throw error;
    }
  }

  /** True while the process runs. */
  isAlive(): boolean {
    return this.#server.isAlive();
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
    await this.#server.stop("SIGKILL");
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
