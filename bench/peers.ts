/**
 * Iridium against its peers: Lua 5.4 and LuaJIT on the CPU workloads (bench/_peers_cpu.ts) and the
 * assembler (bench/_peers_asm.ts), OpenSSH's sshd on W5 (bench/_peers_ssh.ts). Contenders alternate round
 * by round and every ratio is taken within a round; prints one markdown table and writes it to
 * bench/RESULTS.md with the versions, the commands that reproduce each row and the measured cause of
 * every missed target. A peer that is not installed is skipped with a line saying so.
 *
 *   deno task bench:peers                     all of it; BENCH_ROUNDS sets the rounds (default 5)
 *   BENCH_ONLY=realistic deno task bench:peers  one part: loops, realistic, assembler or ssh (not written)
 */
import { runAssembler } from "./_peers_asm.ts";
import { runLoops, runRealistic } from "./_peers_cpu.ts";
import { Report } from "./_peers_report.ts";
import { missingPeers, version } from "./_peers_run.ts";
import {
  createClientKey,
  loginAndExec,
  runSessions,
  type SessionsResult,
  type StartedServer,
  startIridium,
  startSshd,
} from "./_peers_ssh.ts";

const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 5);
const ONLY = Deno.env.get("BENCH_ONLY");
const DENO = Deno.execPath();
const report = new Report();

/** Bursts of 200 commands at once on the same connections: the first meets a fresh server. */
const SESSION_BURSTS = 5;

/** W5: login plus one exec with the OpenSSH client, Iridium against sshd; then 200 concurrent sessions. */
async function runSsh(missing: Map<string, string>): Promise<SessionsResult[]> {
  if (missing.has("/usr/sbin/sshd") || missing.has("ssh")) {
    return [];
  }
  const dir = await Deno.makeTempDir({ prefix: "iridium-w5-" });
  const servers: StartedServer[] = [];
  let warmUp: StartedServer | undefined;
  try {
    const key = await createClientKey(dir);
    servers.push(await startIridium(dir, key, 256), await startSshd(dir, key));
    // A second Iridium server that only the load generator's warm-up talks to (bench/ssh_sessions.ts).
    warmUp = await startIridium(await Deno.makeTempDir({ dir }), key, 256);
    console.error("W5 login + exec ...");
    for (const server of servers) await loginAndExec(server, key); // warm-up: host keys, page cache
    const times = new Map<string, number[]>(servers.map((s) => [s.name, []]));
    for (let round = 0; round < ROUNDS * 2; round++) {
      for (const server of round % 2 === 0 ? servers : [...servers].reverse()) {
        times.get(server.name)!.push(await loginAndExec(server, key));
      }
    }
    report.add(
      "W5 ssh login + one exec (OpenSSH client)",
      times.get("Iridium")!,
      "OpenSSH sshd",
      times.get("OpenSSH sshd")!,
      0.35,
    );
    console.error("W5 200 concurrent sessions ...");
    return [
      await runSessions(servers[0], key, 200, 0, SESSION_BURSTS, warmUp),
      await runSessions(servers[0], key, 200, 1000),
    ];
  } finally {
    for (const server of servers) await server.stop();
    await warmUp?.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

/** The goal of W6: another user's login + exec while one attack runs, p99 in ms. */
const W6_P99_GOAL_MS = 250;

/**
 * W6: bench/ssh_attack_latency.ts in its own process (it starts a fresh daemon per attack); one row per
 * attack, judged against the p99 goal.
 */
async function runAttacks(missing: Map<string, string>): Promise<void> {
  if (missing.has("ssh")) return;
  console.error("W6 login + exec under attack ...");
  const out = await new Deno.Command(DENO, {
    args: ["run", "-A", "bench/ssh_attack_latency.ts", "20"],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
    if (!line.startsWith("{")) continue;
    const { attack, p50_ms: p50, p99_ms: p99 } = JSON.parse(line);
    report.figure(
      `W6 another user's login + exec while this runs: ${attack}; p50 / p99`,
      `${p50} / ${p99} ms`,
      `p99 < ${W6_P99_GOAL_MS} ms`,
      p99 < W6_P99_GOAL_MS,
    );
  }
}

/**
 * The measured cause of each target a run can miss, keyed by the start of the row's workload name: what
 * the time goes to, and the command that shows it.
 */
const CAUSES: [string, string][] = [
  [
    "W1 counting loop 2e8, interpreter tier",
    "the reference interpreter spends about 55 machine instructions per iteration of W1's loop (the " +
    "dispatch, a bounds check per register access, the budget countdown and V8's interrupt check on the " +
    "back edge; `bash bench/instructions.sh` counts them), which puts it on the line.",
  ],
  [
    "W2 fib(32), whole process",
    "Deno's start, module loading and exit take 20-25 ms of the whole process, a fifth to a quarter of " +
    "Lua's time, before the guest runs (compare the in-process row).",
  ],
  [
    "sieve",
    "the guest runs 302 M instructions at about 0.4 ns each, and Deno starts and exits in about 40 ms; its " +
    "CPU time is 0.19 s against Lua's 0.60 s (0.31; `/usr/bin/time` on both commands), and when other " +
    "work shares the two cores both wall times are about twice their CPU times, so the ratio of a round " +
    "crosses 0.35 when the wait falls on Iridium's side (see the spread).",
  ],
  [
    "W4 assemble 200,000 lines, in-process",
    "the assembler runs 1.49 G machine instructions for the whole process against Lua's 1.37 G " +
    "(`valgrind --tool=callgrind deno run -A --v8-flags=--single-threaded bench/assemble_workload.ts " +
    "CHUNKS` against `valgrind --tool=callgrind lua5.4 bench/workloads/w4.lua CHUNKS`), but its first " +
    "programs run before V8 has optimized it: timed one by one in one process, the first four of the " +
    "fourteen take 15-30 ms each, the warm ones 4-9 ms.",
  ],
  [
    "W6",
    "the SSH thread and the sessions' work share the two cores with the attack's own clients and with " +
    "any other load of the machine: the idle row of the same run is the floor (`deno run -A " +
    "bench/ssh_attack_latency.ts 20` prints it first).",
  ],
  [
    "W5",
    "200 exec requests reach the one SSH worker thread in the same instant while the load generator's 200 " +
    "ssh2 clients share the other core: the CPU row shows both sides spending about 100 ms on a burst, so " +
    "on two cores the last reply cannot come much sooner.",
  ],
];

const missing = await missingPeers();
for (const note of missing.values()) {
  console.error(`note: ${note}`);
  report.notes.push(note);
}
if (ONLY === undefined || ONLY === "loops") await runLoops(report, missing, ROUNDS);
if (ONLY === undefined || ONLY === "realistic") await runRealistic(report, missing, ROUNDS);
if (ONLY === undefined || ONLY === "assembler") await runAssembler(report, missing, ROUNDS);
const sessions = ONLY === undefined || ONLY === "ssh" ? await runSsh(missing) : [];
if (ONLY === undefined || ONLY === "ssh") await runAttacks(missing);
const versions = await Promise.all([
  version(DENO, ["--version"]),
  version("lua5.4", ["-v"]),
  version("luajit", ["-v"]),
  version("ssh", ["-V"]),
  version("nproc", []),
]);
const table = report.table(sessions);
const result = `# Iridium against its peers

Generated by \`deno task bench:peers\` (bench/peers.ts): ${ROUNDS} rounds, contenders alternated (order reversed
every other round); each ratio is taken within a round, shown as its median and its spread (lowest-highest)
over the rounds. Versions: ${versions.slice(0, 4).join("; ")}; ${versions[4]} CPU cores.

${table}

${report.causes(CAUSES)}

${report.notes.map((note) => `- ${note}`).join("\n")}

Commands, run from the repository's root (NAME: w1, w2, w3, sieve, sort, mandelbrot, tak, collatz, trees):

- Iridium: \`deno run -A bench/run_workload.ts bench/workloads/NAME.iasm\`, with \`--tier interpreter\` or
  \`--tier javascript\` for those rows; the CLI rows \`deno run -A main.ts bench/workloads/NAME.iasm\`
- Lua 5.4: \`lua5.4 bench/workloads/NAME.lua\`; LuaJIT: \`luajit bench/workloads/NAME.lua\`, or
  \`NAME_luajit.lua\` where it exists (LuaJIT has no \`//\`)
- W4: \`deno run -A bench/assemble_workload.ts CHUNKS\` against \`lua5.4 bench/workloads/w4.lua CHUNKS\`
- W5: \`ssh -i KEY -p PORT USER@127.0.0.1 CMD\` against each server, and
  \`deno run -A bench/ssh_sessions.ts PORT KEY 200 SPREAD_MS BURSTS SERVER_PID\`
- W6: \`deno run -A bench/ssh_attack_latency.ts 20\` (each attack against a fresh daemon, 20 logins of
  another user while it runs)
- one part alone, without writing this file: \`BENCH_ONLY=realistic deno task bench:peers\` (or loops,
  assembler, ssh)
`;
console.log(result);
if (ONLY === undefined) {
  await Deno.writeTextFile("bench/RESULTS.md", result);
  // The file is checked in: keep it as `deno fmt --check` wants it.
  await new Deno.Command(DENO, { args: ["fmt", "-q", "bench/RESULTS.md"], stdout: "null", stderr: "null" })
    .output();
}
