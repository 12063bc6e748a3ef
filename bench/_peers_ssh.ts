/**
 * W5 for bench/peers.ts: Iridium's SSH server and OpenSSH's sshd, each started here on a free loopback
 * port with its own temporary keys and configuration, measured with the same OpenSSH client.
 */

/** A server this benchmark started. */
export interface StartedServer {
  name: string;
  port: number;
  user: string;
  /** The command that prints 42 on this server. */
  command: string;
  process: Deno.ChildProcess;
  /** Kills the server and waits for it. */
  stop(): Promise<void>;
}

/** A port nothing listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function run(command: string, args: string[]): Promise<Deno.CommandOutput> {
  return await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" }).output();
}

async function waitForPort(port: number, child: Deno.ChildProcess, name: string): Promise<void> {
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  child.kill("SIGKILL");
  throw new Error(`${name} did not listen on port ${port}`);
}

function started(
  name: string,
  port: number,
  user: string,
  command: string,
  process: Deno.ChildProcess,
): StartedServer {
  return {
    name,
    port,
    user,
    command,
    process,
    async stop() {
      try {
        process.kill("SIGTERM");
      } catch { /* already gone */ }
      await process.status;
    },
  };
}

/** A client key pair in `dir`: returns the private key's path (the public one is `.pub` beside it). */
export async function createClientKey(dir: string): Promise<string> {
  const key = `${dir}/client_ed25519`;
  const made = await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
  if (!made.success) throw new Error(`ssh-keygen failed: ${new TextDecoder().decode(made.stderr)}`);
  return key;
}

/** Iridium's daemon (`main.ts --daemon --enable-ssh`) with `key` authorized, in its own data root. */
export async function startIridium(dir: string, key: string, connections: number): Promise<StartedServer> {
  const deno = Deno.execPath();
  const data = `${dir}/iridium-data`;
  const added = await run(deno, [
    "run",
    "-A",
    "main.ts",
    "add-ssh-key",
    `${key}.pub`,
    "--data-root-dir",
    data,
  ]);
  if (!added.success) throw new Error(`add-ssh-key failed: ${new TextDecoder().decode(added.stderr)}`);
  const port = freePort();
  const args = [
    "run",
    "-A",
    "main.ts",
    "--daemon",
    "--enable-ssh",
    "-p",
    String(port),
    "--data-root-dir",
    data,
  ];
  args.push("--ssh-max-connections", String(connections));
  // Every load-generator connection comes from 127.0.0.1 and logs in at once: the first stage must hold them.
  const startups = String(Math.max(connections, 10));
  args.push("--ssh-max-startups", `${startups}:30:${startups}`, "--ssh-max-startups-per-source", startups);
  const child = new Deno.Command(deno, { args, stdout: "null", stderr: "null" }).spawn();
  await waitForPort(port, child, "iridium");
  return started("Iridium", port, "bench", "load $0 #42\nprti $0", child);
}

/** OpenSSH's sshd: key auth only, its own host key, `-D -e -f cfg`, UsePAM no, a temporary authorized_keys. */
export async function startSshd(dir: string, key: string): Promise<StartedServer> {
  const hostKey = `${dir}/sshd_host_ed25519`;
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
  await Deno.copyFile(`${key}.pub`, `${dir}/authorized_keys`);
  await Deno.mkdir("/run/sshd", { recursive: true }); // its privilege-separation directory
  const port = freePort();
  const config = `${dir}/sshd_config`;
  await Deno.writeTextFile(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${hostKey}`,
      "PidFile none",
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "PermitRootLogin prohibit-password",
      "StrictModes no",
      "MaxStartups 300",
      "",
    ].join("\n"),
  );
  const sshd = "/usr/sbin/sshd";
  const child = new Deno.Command(sshd, { args: ["-D", "-e", "-f", config], stdout: "null", stderr: "null" })
    .spawn();
  await waitForPort(port, child, "sshd");
  const user = new TextDecoder().decode((await run("id", ["-un"])).stdout).trim();
  return started("OpenSSH sshd", port, user, "echo 42", child);
}

/** One `ssh` login plus exec with the OpenSSH client; returns wall milliseconds, or throws on wrong output. */
export async function loginAndExec(server: StartedServer, key: string): Promise<number> {
  const args = [
    ...["-F", "/dev/null", "-i", key, "-p", String(server.port)],
    ...["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"],
    ...["-o", "LogLevel=ERROR", `${server.user}@127.0.0.1`, server.command],
  ];
  const start = performance.now();
  const output = await run("ssh", args);
  const ms = performance.now() - start;
  const text = new TextDecoder().decode(output.stdout).trim();
  if (text !== "42") {
    throw new Error(`${server.name}: expected 42, got '${text}' ${new TextDecoder().decode(output.stderr)}`);
  }
  return ms;
}

/** Resident memory of process `pid` in KiB (VmRSS), or NaN when unreadable. */
export function residentKib(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

/** One burst of bench/ssh_sessions.ts: latencies, and CPU time of each side. */
export interface Burst {
  p50: number;
  p99: number;
  max: number;
  clientCpuMs: number;
  serverCpuMs: number;
}

/** Result of bench/ssh_sessions.ts plus the server's memory. */
export interface SessionsResult {
  count: number;
  spreadMs: number;
  wrong: number;
  allLoggedInMs: number;
  /** In order: the first met a server that had run no command yet. */
  bursts: Burst[];
  idleRssKib: number;
  peakRssKib: number;
}

/**
 * Runs bench/ssh_sessions.ts against `server` (`bursts` times), sampling its resident memory meanwhile;
 * the load generator warms its own code on `warmUp` first (see WARM_PORT there).
 */
export async function runSessions(
  server: StartedServer,
  key: string,
  count: number,
  spreadMs: number,
  bursts = 1,
  warmUp?: StartedServer,
): Promise<SessionsResult> {
  const idleRssKib = residentKib(server.process.pid);
  let peakRssKib = idleRssKib;
  const sampler = setInterval(() => {
    peakRssKib = Math.max(peakRssKib, residentKib(server.process.pid) || 0);
  }, 20);
  const args = [
    "run",
    "-A",
    "bench/ssh_sessions.ts",
    String(server.port),
    key,
    String(count),
    String(spreadMs),
    String(bursts),
    String(server.process.pid),
    ...(warmUp ? [String(warmUp.port)] : []),
  ];
  const output = await new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "piped" }).output();
  clearInterval(sampler);
  if (!output.success) throw new Error(`ssh_sessions failed: ${new TextDecoder().decode(output.stderr)}`);
  const result = JSON.parse(new TextDecoder().decode(output.stdout));
  if (result.wrong > 0) throw new Error(`ssh_sessions: ${result.wrong} commands printed the wrong output`);
  return { ...result, idleRssKib, peakRssKib };
}
