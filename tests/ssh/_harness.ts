/**
 * End-to-end helpers: temp data roots, keys made by ssh-keygen, the server as a subprocess on a free
 * loopback port, and the real OpenSSH client pinned to the server's host key.
 */
import { IRIDIUM_RUN_ARGS } from "../support/cli.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, where main.ts and deno.json live. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Runs a command to completion; resolves to its status and text output. */
export async function run(
  command: string,
  args: string[],
  options: { stdin?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(command, {
    args,
    cwd: options.cwd,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, options.timeoutMs ?? 30_000);
  try {
    if (options.stdin !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(options.stdin));
      await writer.close();
    }
    const output = await child.output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** A fresh private temp directory. */
export function makeTempDir(): Promise<string> {
  return Deno.makeTempDir({ prefix: "iridium_ssh_test_" });
}

/** Makes a key pair with ssh-keygen; resolves to the private key's path (the public one adds `.pub`). */
export async function generateKey(
  dir: string,
  name: string,
  type = "ed25519",
  bits?: number,
  comment = `${name}@test`,
): Promise<string> {
  const path = join(dir, name);
  const args = ["-q", "-t", type, "-N", "", "-C", comment, "-f", path, ...(bits ? ["-b", String(bits)] : [])];
  const result = await run("ssh-keygen", args);
  if (result.code !== 0) throw new Error(`ssh-keygen failed: ${result.stderr}`);
  return path;
}

/** A port free at the moment of asking, on 127.0.0.1. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Runs the CLI in a subprocess (`deno task start ARGS`). */
export function runCliProcess(args: string[], timeoutMs = 60_000) {
  return run(Deno.execPath(), [...IRIDIUM_RUN_ARGS, ...args], { cwd: REPO_ROOT, timeoutMs });
}

/** `iridium --daemon` as a subprocess, ready once it printed its "listening" line. */
export class ServerProcess {
  readonly port: number;
  readonly dataRoot: string;
  #child: Deno.ChildProcess;
  #stderr = "";
  #exit: Promise<Deno.CommandStatus>;
  #exited = false;

  private constructor(child: Deno.ChildProcess, port: number, dataRoot: string) {
    this.#child = child;
    this.port = port;
    this.dataRoot = dataRoot;
    this.#exit = child.status;
    this.#exit.then(() => this.#exited = true);
  }

  /** The server's process id (for /proc). */
  get pid(): number {
    return this.#child.pid;
  }

  /** True while the process runs. */
  isAlive(): boolean {
    return !this.#exited;
  }

  /** Everything the server wrote to stderr so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /**
   * Starts the daemon on a free port; rejects (after killing it) if it does not listen within 60 s.
   * `launcher` runs it, e.g. `["prlimit", "--nofile=256"]`.
   */
  static async start(
    dataRoot: string,
    extraArgs: string[] = [],
    launcher: string[] = [],
  ): Promise<ServerProcess> {
    const port = freePort();
    const [command, ...prefix] = [...launcher, Deno.execPath()];
    const child = new Deno.Command(command, {
      args: [
        ...prefix,
        ...IRIDIUM_RUN_ARGS,
        "--daemon",
        "--data-root-dir",
        dataRoot,
        "-p",
        String(port),
        ...extraArgs,
      ],
      cwd: REPO_ROOT,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const server = new ServerProcess(child, port, dataRoot);
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
    } catch (error) {
      await server.stop("SIGKILL");
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return server;
  }

  /** Waits until stderr holds `text` (audit lines arrive a little after the client is done). */
  async waitForStderr(text: string | RegExp, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const found = () => typeof text === "string" ? this.#stderr.includes(text) : text.test(this.#stderr);
    while (!found()) {
      if (Date.now() > deadline) throw new Error(`stderr never showed ${text}:\n${this.#stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Sends `signal` and resolves to the exit status; SIGKILLs it if it has not exited within 20 s. */
  async stop(signal: Deno.Signal = "SIGTERM"): Promise<Deno.CommandStatus> {
    try {
      this.#child.kill(signal);
    } catch { /* already gone */ }
    const timer = setTimeout(() => {
      try {
        this.#child.kill("SIGKILL");
      } catch { /* already gone */ }
    }, 20_000);
    try {
      return await this.#exit;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Pins the server's host key (from the data root) for these ports in a known_hosts file. */
export async function writeKnownHosts(path: string, dataRoot: string, ports: number[]): Promise<void> {
  const [type, key] = (await Deno.readTextFile(join(dataRoot, "ssh_host_ed25519_key.pub"))).split(" ");
  await Deno.writeTextFile(path, ports.map((port) => `[127.0.0.1]:${port} ${type} ${key}\n`).join(""));
}

/** OpenSSH client options: no config, no agent, no prompts, the host key checked strictly. */
export function sshOptions(knownHosts: string, identity: string, port: number): string[] {
  return [
    "-F",
    "/dev/null",
    "-o",
    "BatchMode=yes",
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "IdentityAgent=none",
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    `UserKnownHostsFile=${knownHosts}`,
    "-o",
    "ConnectTimeout=20",
    "-i",
    identity,
    "-p",
    String(port),
  ];
}

/** A long-lived `ssh` child with piped stdin, for sessions a test types into. */
export class SshChild {
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #stdout = "";
  #stderr = "";
  readonly status: Promise<Deno.CommandStatus>;

  constructor(args: string[]) {
    const child = new Deno.Command("ssh", { args, stdin: "piped", stdout: "piped", stderr: "piped" }).spawn();
    this.#child = child;
    this.#writer = child.stdin.getWriter();
    this.status = child.status;
    const decoder = new TextDecoder();
    const decoder2 = new TextDecoder();
    (async () => {
      for await (const chunk of child.stdout) this.#stdout += decoder.decode(chunk, { stream: true });
    })();
    (async () => {
      for await (const chunk of child.stderr) this.#stderr += decoder2.decode(chunk, { stream: true });
    })();
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Types text into the session. */
  async write(text: string): Promise<void> {
    await this.#writer.write(new TextEncoder().encode(text));
  }

  /** Waits until stdout holds `text` at or after `from`; resolves to the index after the match. */
  async waitFor(text: string, from = 0, timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.#stdout.indexOf(text, from);
      if (at >= 0) return at + text.length;
      if (Date.now() > deadline) {
        throw new Error(`never saw ${JSON.stringify(text)}; stdout ${JSON.stringify(this.#stdout)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Closes stdin and waits for the exit status; kills the client if it lingers. */
  async close(timeoutMs = 20_000): Promise<Deno.CommandStatus> {
    await this.#writer.close().catch(() => {});
    const timer = setTimeout(() => this.kill(), timeoutMs);
    try {
      return await this.status;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    try {
      this.#child.kill("SIGKILL");
    } catch { /* already gone */ }
  }
}
