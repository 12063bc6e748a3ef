/**
 * W6: a normal user's login + exec latency (OpenSSH client, `load $1 #N; prti $1`) while one attack runs
 * against the same server, for each attack of the multi-user isolation list. Each attack gets a fresh
 * `iridium --daemon` on a free port; the user measures ROUNDS logins one after the other while it runs.
 * Prints one JSON line per attack (p50, p99, max in ms, and the idle baseline first).
 *
 *   deno run -A bench/ssh_attack_latency.ts [ROUNDS]
 */
import net from "node:net";
import ssh2 from "ssh2";
import { SshChild } from "../tests/ssh/_harness.ts";
import { sleep, TargetServer } from "../tests/ssh_attack/_server.ts";

const ROUNDS = Number(Deno.args[0] ?? 20);

/** An attack: starts against `server`, resolves to the function that stops it. */
type Attack = (server: TargetServer) => Promise<() => Promise<void>>;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function measure(server: TargetServer): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const result = await server.ssh(`load $1 #${i}\nprti $1`);
    const ms = performance.now() - started;
    times.push(result.stdout === `${i}\n` ? ms : Infinity);
  }
  return times.sort((a, b) => a - b);
}

const streamLines = (text: string): Attack => async (server) => {
  const sender = new SshChild(["-T", ...server.sshArgs(), "127.0.0.1"]);
  let sending = true;
  const loop = (async () => {
    while (sending) await sender.write(text).catch(() => sending = false);
  })();
  await sleep(300);
  return async () => {
    sending = false;
    sender.kill();
    await sender.status;
    await loop;
  };
};

const ATTACKS: Record<string, Attack> = {
  "idle (no attack)": () => Promise.resolve(() => Promise.resolve()),
  "8 KiB pasted into a pty": async (server) => {
    const typist = new SshChild(["-tt", ...server.sshArgs(), "127.0.0.1"]);
    await typist.waitFor(">>> ");
    await typist.write("a".repeat(8 * 1024));
    await sleep(300);
    return async () => {
      typist.kill();
      await typist.status;
    };
  },
  "20,000 nop lines piped, repeated": streamLines("nop\n".repeat(20_000)),
  "endless comment lines": streamLines("; comment\n".repeat(5_000)),
  "an endless loop in a pty session": async (server) => {
    const looper = new SshChild(["-tt", ...server.sshArgs(), "127.0.0.1"]);
    await looper.waitFor(">>> ");
    await looper.write("load $0 #4\rtop: inc $1\rjmp $0\r");
    await sleep(300);
    return async () => {
      looper.kill();
      await looper.status;
    };
  },
  "200 silent connections from one address, reopened": async (server) => {
    let running = true;
    const one = async () => {
      while (running) {
        await new Promise<void>((resolve) => {
          const socket = net.connect({ host: "127.0.0.1", port: server.port, localAddress: "127.0.0.2" });
          socket.on("error", () => {});
          socket.on("data", () => {});
          socket.on("close", () => resolve());
        });
      }
    };
    const all = Array.from({ length: 200 }, one);
    await sleep(500);
    return async () => {
      running = false;
      await Promise.race([Promise.all(all), sleep(15_000)]);
    };
  },
  "40 clients with 32 KB user names, reconnecting": async (server) => {
    let running = true;
    const one = async (i: number) => {
      while (running) {
        await new Promise<void>((resolve) => {
          const client = new ssh2.Client();
          client.on("error", () => {});
          client.on("close", () => resolve());
          client.connect({
            host: "127.0.0.1",
            port: server.port,
            localAddress: `127.0.0.${3 + i % 8}`,
            username: "u".repeat(32 * 1024),
            password: "wrong",
            hostVerifier: () => true,
          });
        });
      }
    };
    const all = Array.from({ length: 40 }, (_, i) => one(i));
    await sleep(500);
    return async () => {
      running = false;
      await Promise.race([Promise.all(all), sleep(15_000)]);
    };
  },
};

for (const [name, attack] of Object.entries(ATTACKS)) {
  const server = await TargetServer.start();
  try {
    await server.ssh("prti $0"); // warm
    const stop = await attack(server);
    const times = await measure(server);
    await stop();
    const after = await measure(server);
    const line = {
      attack: name,
      rounds: ROUNDS,
      p50_ms: Math.round(percentile(times, 0.5)),
      p99_ms: Math.round(percentile(times, 0.99)),
      max_ms: Math.round(times[times.length - 1]),
      after_p50_ms: Math.round(percentile(after, 0.5)),
      rss_mib: Math.round(await server.residentKib() / 1024),
    };
    console.log(JSON.stringify(line));
  } finally {
    await server.close();
  }
}
