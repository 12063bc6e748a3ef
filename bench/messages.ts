/**
 * Messages between processes against Erlang's: a ping-pong of ROUND_TRIPS round trips between two
 * processes on a pool of 2 threads, and what 1,000 processes waiting in `recv` cost (memory, and CPU
 * while they wait). Erlang's ping-pong runs in the same run when `erl` is installed (Debian's
 * `erlang-base`), else one line says it is skipped. `deno task bench:messages`; BENCH_ROUNDS sets the
 * rounds of each ping-pong (default 3, medians reported), MESSAGES_ROUND_TRIPS the round trips.
 */
import process from "node:process";
import { assemble } from "../src/asm/assembler.ts";
import type { Program } from "../src/bytecode/program.ts";
import { WorkerPool } from "../src/pool/worker_pool.ts";

const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 3);
const ROUND_TRIPS = Number(Deno.env.get("MESSAGES_ROUND_TRIPS") ?? 100_000);
const WAITERS = 1_000;
const LIMITS = { heapLimit: 1 << 16, stackLimit: 64 };

function program(source: string): Program {
  const result = assemble(source);
  if (!result.ok) throw new Error("assembly failed");
  return { code: result.code, rodata: result.rodata, entry: result.entry };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Microseconds per round trip of Iridium's ping-pong on a fresh pool of 2. */
async function iridiumPingPong(): Promise<number> {
  const pool = new WorkerPool(2);
  try {
    const pong = await pool.spawn({
      program: program("top: recv $0 $1\nsend $1 $0\ndjmp @top"),
      source: "pong",
      owner: "bench",
      ...LIMITS,
    });
    const ping = program(
      `load $5 #${pong.pid}\nload $6 #${ROUND_TRIPS}\nload $0 #0\n` +
        "again: send $5 $0\nrecv $0 $1\ninc $0\nlt $0 $6\ndjmpe @again\nhlt",
    );
    // Timed from the ping's spawn on a started pool, as Erlang's is from a running VM: the workers'
    // start (loading their modules, some 50 ms) is not the round trips'.
    while ((await pool.list())[0].state !== "waiting") await new Promise((r) => setTimeout(r, 1));
    const started = performance.now();
    const { pid } = await pool.spawn({ program: ping, source: "ping", owner: "bench", ...LIMITS });
    const end = await pool.wait(pid);
    if (end.state !== "halted") throw new Error(`ping ${end.state}: ${end.fault}`);
    return (performance.now() - started) * 1000 / ROUND_TRIPS;
  } finally {
    pool.close();
  }
}

const ERLANG_PING_PONG = `
-module(pingpong).
-export([main/1]).
pong() -> receive {From, N} -> From ! N, pong() end.
ping(_, 0) -> ok;
ping(Pong, K) -> Pong ! {self(), K}, receive _ -> ping(Pong, K - 1) end.
main([Arg]) ->
  N = list_to_integer(Arg),
  Pong = spawn(fun pong/0),
  T0 = erlang:monotonic_time(microsecond),
  ping(Pong, N),
  T1 = erlang:monotonic_time(microsecond),
  io:format("~p~n", [(T1 - T0) / N]).
`;

/** Microseconds per round trip of Erlang's ping-pong, or undefined when `erl` is missing. */
async function erlangPingPong(dir: string): Promise<number | undefined> {
  const found = await new Deno.Command("sh", {
    args: ["-c", "command -v erlc && command -v erl"],
    stdout: "null",
  })
    .output();
  if (!found.success) return undefined;
  await Deno.writeTextFile(`${dir}/pingpong.erl`, ERLANG_PING_PONG);
  const compiled = await new Deno.Command("erlc", { args: ["pingpong.erl"], cwd: dir }).output();
  if (!compiled.success) throw new Error(new TextDecoder().decode(compiled.stderr));
  const ran = await new Deno.Command("erl", {
    args: ["-noshell", "-pa", dir, "-run", "pingpong", "main", String(ROUND_TRIPS), "-s", "init", "stop"],
    cwd: dir,
  }).output();
  return Number(new TextDecoder().decode(ran.stdout).trim());
}

/** Resident memory of the whole VM, main thread and workers (run with --v8-flags=--expose-gc). */
function usedMemory(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Deno.memoryUsage().rss;
}

/** Memory per waiting process (resident memory of the whole VM: a waiting process is kept by its worker) and CPU used by the whole VM while they wait (ms per s). */
async function waitingCost(): Promise<{ bytesEach: number; idleCpuMsPerS: number }> {
  const pool = new WorkerPool(2);
  try {
    const waiter = program("recv $0 $1\nhlt");
    // A first spawn starts the workers, so their memory is not counted as the waiters'.
    const first = await pool.spawn({ program: waiter, source: "w", owner: "bench", ...LIMITS });
    await new Promise((r) => setTimeout(r, 500));
    const before = usedMemory();
    for (let i = 1; i < WAITERS; i++) {
      await pool.spawn({ program: waiter, source: "w", owner: "bench", ...LIMITS });
    }
    while ((await pool.list()).some((p) => p.state !== "waiting")) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const after = usedMemory();
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 2_000));
    const used = process.cpuUsage(cpu);
    const seconds = (performance.now() - t0) / 1000;
    pool.deliver(0, first.pid, 0);
    return {
      bytesEach: (after - before) / (WAITERS - 1),
      idleCpuMsPerS: (used.user + used.system) / 1000 / seconds,
    };
  } finally {
    pool.close();
  }
}

/**
 * Microseconds of one postMessage round trip between the main thread and a worker: the floor of a message
 * between processes on two workers, which crosses the main thread (worker, main, worker).
 */
async function threadHop(): Promise<number> {
  const source = "self.onmessage = (e) => self.postMessage(e.data);";
  const url = URL.createObjectURL(new Blob([source], { type: "application/javascript" }));
  const worker = new Worker(url, { type: "module" });
  const count = 20_000;
  let seen = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    worker.onmessage = () => ++seen === count ? resolve() : worker.postMessage(seen);
    worker.postMessage(0);
  });
  const micros = (performance.now() - started) * 1000 / count;
  worker.terminate();
  return micros;
}

const dir = await Deno.makeTempDir({ prefix: "iridium_bench_" });
try {
  const iridium: number[] = [], erlang: number[] = [];
  let erlangMissing = false;
  for (let round = 0; round < ROUNDS; round++) {
    // Alternated, the order reversed every other round, so drift in the machine's load hits both.
    const order = round % 2 === 0 ? ["iridium", "erlang"] : ["erlang", "iridium"];
    for (const who of order) {
      if (who === "iridium") iridium.push(await iridiumPingPong());
      else if (!erlangMissing) {
        const value = await erlangPingPong(dir);
        if (value === undefined) erlangMissing = true;
        else erlang.push(value);
      }
    }
  }
  const cost = await waitingCost();
  const hop = await threadHop();
  console.log(`| measure | Iridium | Erlang |`);
  console.log(`|---|---|---|`);
  const erl = erlangMissing
    ? "skipped: erl not installed (apt-get install erlang-base)"
    : `${median(erlang).toFixed(2)} µs`;
  console.log(
    `| ping-pong round trip (${ROUND_TRIPS.toLocaleString("en")}, median of ${ROUNDS}) | ${
      median(iridium).toFixed(2)
    } µs | ${erl} |`,
  );
  if (!erlangMissing) {
    console.log(`| ratio to Erlang | ${(median(iridium) / median(erlang)).toFixed(1)}x | 1x |`);
  }
  console.log(
    `| memory per waiting process (${WAITERS.toLocaleString("en")} waiting) | ${
      (cost.bytesEach / 1024).toFixed(1)
    } KiB | |`,
  );
  console.log(
    `| CPU while ${WAITERS.toLocaleString("en")} processes wait | ${cost.idleCpuMsPerS.toFixed(1)} ms/s | |`,
  );
  console.log(
    `| postMessage round trip, main thread and a worker (floor of a message between workers) | ${
      hop.toFixed(2)
    } µs | |`,
  );
  if (erlangMissing) {
    console.log("erlang: skipped, `erl` is not installed (Debian: apt-get install erlang-base)");
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
