/**
 * W5's load generator: opens `count` SSH connections to Iridium's server at once (npm ssh2 client, key
 * auth), waits until every one is logged in, then runs one command on each, all at the same moment, and
 * prints one JSON line: per-command latency percentiles (exec request to channel close), and how long the
 * logins took. With SPREAD_MS, the commands start evenly spread over that many milliseconds instead of
 * all at once (sessions that are open together but not all busy in the same instant). With BURSTS, that
 * is repeated on the same connections (the first burst meets a server that has run no command yet, the
 * later ones a warm one); each burst reports its percentiles and the CPU time this process and, given
 * SERVER_PID, the server process spent on it, which tells which side bounds the latency.
 *
 * With WARM_PORT, another server of the same kind, this process first runs one burst there on as many
 * connections of its own and closes them, so that its own code (ssh2's client side of a channel, the
 * exec) is warm when the first measured burst meets the cold server. 200 separate SSH clients would bring
 * no warm-up of their own; without it, the first burst measured this process's V8 warm-up too: its CPU
 * time for that burst was about twice the later bursts' (for example 132 against 81 ms), on the core
 * the server shares with it.
 *
 *   deno run -A bench/ssh_sessions.ts PORT PRIVATE_KEY COUNT [SPREAD_MS] [BURSTS] [SERVER_PID] [WARM_PORT]
 */
import { connect as connectTcp } from "node:net";
import process from "node:process";
import ssh2 from "ssh2";
import { skipSecondEnd } from "../src/ssh/channel_destroy.ts";

/** The parts of an ssh2 client channel used here. */
interface Channel {
  on(event: "data", listener: (chunk: Uint8Array) => void): Channel;
  on(event: "close", listener: () => void): Channel;
  stderr: { on(event: "data", listener: (chunk: Uint8Array) => void): void };
}

/** The parts of an ssh2 Client used here. */
interface Client {
  on(event: "ready", listener: () => void): Client;
  on(event: "error", listener: (error: Error) => void): Client;
  connect(config: Record<string, unknown>): void;
  exec(command: string, callback: (error: Error | undefined, channel: Channel) => void): void;
  end(): void;
}

const [port, keyPath, countText, spreadText = "0", burstsText = "1", serverPidText, warmPortText] = Deno.args;
const spreadMs = Number(spreadText);
const bursts = Number(burstsText);
const count = Number(countText);
const privateKey = Deno.readTextFileSync(keyPath);
/** Prints 42: a one-instruction program and its output, so each command runs the VM. */
const COMMAND = "load $0 #42\nprti $0\n";

function connect(to = Number(port)): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client() as unknown as Client;
    client.on("ready", () => resolve(client)).on("error", reject);
    // Nagle's algorithm would hold each small SSH packet until the previous one is acknowledged (delayed
    // ACKs wait 40 ms on Linux); OpenSSH's client disables it too.
    const sock = connectTcp({ host: "127.0.0.1", port: to, noDelay: true });
    client.connect({ sock, username: "bench", privateKey, readyTimeout: 60_000 });
  });
}

function exec(client: Client): Promise<{ ms: number; output: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    client.exec(COMMAND, (error, stream) => {
      if (error) return reject(error);
      // The client side has the server's waste too: a second end() of the finished channel builds an
      // error nobody sees. Skipping it takes about a fifth off this process's CPU per burst, which is
      // about what the server spends (a generator that costs as much as the server bounds what it can
      // measure); OpenSSH's client has no such cost.
      skipSecondEnd(stream as unknown as Parameters<typeof skipSecondEnd>[0]);
      let output = "";
      stream.on("data", (chunk: Uint8Array) => output += new TextDecoder().decode(chunk));
      stream.stderr.on("data", () => {});
      stream.on("close", () => resolve({ ms: performance.now() - start, output }));
    });
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

if (warmPortText) {
  const warming = await Promise.all(Array.from({ length: count }, () => connect(Number(warmPortText))));
  const outputs = await Promise.all(warming.map(exec));
  if (outputs.some((result) => result.output.trim() !== "42")) throw new Error("warm-up: wrong output");
  for (const client of warming) client.end();
}

const loginStart = performance.now();
const clients = await Promise.all(Array.from({ length: count }, () => connect()));
const loginMs = performance.now() - loginStart;
// The server's memory is read by the caller while every connection is open: signal, then wait a moment.
console.error("connected");
await new Promise((resolve) => setTimeout(resolve, 500));
/** CPU milliseconds (user + system) process `pid` has used so far, or NaN when unreadable. */
function cpuMsOf(pid: number): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/** One burst: a command on every connection, all at once or spread; its latencies and CPU times. */
async function burst() {
  const serverBefore = serverPidText ? cpuMsOf(Number(serverPidText)) : NaN;
  const clientBefore = process.cpuUsage();
  const results = await Promise.all(clients.map(async (client, i) => {
    if (spreadMs > 0) await new Promise((resolve) => setTimeout(resolve, (i * spreadMs) / count));
    return await exec(client);
  }));
  const client = process.cpuUsage(clientBefore);
  const serverCpuMs = serverPidText ? cpuMsOf(Number(serverPidText)) - serverBefore : NaN;
  const latencies = results.map((result) => result.ms).sort((a, b) => a - b);
  return {
    wrong: results.filter((result) => result.output.trim() !== "42").length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
    clientCpuMs: (client.user + client.system) / 1000,
    serverCpuMs,
  };
}

const measured = [];
for (let i = 0; i < bursts; i++) {
  if (i > 0) await new Promise((resolve) => setTimeout(resolve, 200));
  measured.push(await burst());
}
for (const client of clients) client.end();
console.log(JSON.stringify({
  count,
  spreadMs,
  wrong: measured.reduce((sum, b) => sum + b.wrong, 0),
  allLoggedInMs: loginMs,
  bursts: measured,
}));
