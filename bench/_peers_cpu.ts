/**
 * The CPU workloads of bench/peers.ts: W1-W3 (three loops) and the realistic programs (a sieve, a sort, a
 * float kernel, deep recursion, a branchy integer loop, trees in the heap), each an Iridium program in
 * bench/workloads/ and a Lua program printing the same output. Iridium runs through bench/run_workload.ts
 * (assemble, then run in 1,000,000-instruction slices as `iridium FILE` does): "whole process" is the wall
 * time of that `deno run`, "in-process" the guest time it reports. Lua starts in about 1 ms, so its
 * whole-process time is the fair peer of both.
 */
import { alternate, type Contender, geometricMean } from "./_peers_run.ts";
import type { Report } from "./_peers_report.ts";

const DENO = Deno.execPath();

const guestMs = (stderr: string) => JSON.parse(stderr.trim().split("\n").at(-1)!).guestMs as number;

/** A program in bench/workloads/ and the line(s) it prints. */
interface Workload {
  title: string;
  file: string;
  expected: string;
  /** The Lua file for LuaJIT when it differs (LuaJIT has no `//`). */
  luajitFile?: string;
}

const LOOPS: (Workload & { targets: [number | undefined, number | undefined] })[] = [
  { title: "W1 counting loop 2e8", file: "w1", expected: "200000000", targets: [0.25, 1.0] },
  { title: "W2 fib(32)", file: "w2", expected: "2178309", targets: [0.5, undefined] },
  {
    title: "W3 arithmetic loop 5e7",
    file: "w3",
    expected: "49999999",
    luajitFile: "w3_luajit",
    targets: [0.5, undefined],
  },
];

/** The realistic programs: each at most REALISTIC_TO_LUA of Lua 5.4's time, their geometric mean
 * against LuaJIT at most REALISTIC_TO_LUAJIT. */
const REALISTIC: Workload[] = [
  { title: "sieve, 4,000,000-word heap array x4", file: "sieve", expected: "283146" },
  { title: "Shell sort of 1,000,000 heap words", file: "sort", expected: "6\n62799\n127680\n0" },
  { title: "escape-time fractal 1,200 x 800", file: "mandelbrot", expected: "244072" },
  { title: "tak(29, 18, 9)", file: "tak", expected: "18" },
  {
    title: "collatz below 110,000 x5",
    file: "collatz",
    expected: "106239\n353\n59646000",
    luajitFile: "collatz_luajit",
  },
  { title: "binary trees of depth 16 in the heap x20", file: "trees", expected: "2621420" },
];
const REALISTIC_TO_LUA = 0.35, REALISTIC_TO_LUAJIT = 1.0;

function iridium(file: string, tier?: string): string[] {
  const command = [DENO, "run", "-A", "bench/run_workload.ts", `bench/workloads/${file}.iasm`];
  return tier === undefined ? command : [...command, "--tier", tier];
}

function peers(w: Workload, missing: Map<string, string>): Contender[] {
  const contenders: Contender[] = [];
  if (!missing.has("lua5.4")) {
    contenders.push({ name: "lua", command: ["lua5.4", `bench/workloads/${w.file}.lua`] });
  }
  if (!missing.has("luajit")) {
    contenders.push({ name: "luajit", command: ["luajit", `bench/workloads/${w.luajitFile ?? w.file}.lua`] });
  }
  return contenders;
}

/** W1-W3: the fast tier, its JavaScript back end alone, the CLI, and the interpreter on W1. */
export async function runLoops(report: Report, missing: Map<string, string>, rounds: number): Promise<void> {
  for (const w of LOOPS) {
    const contenders: Contender[] = [
      { name: "iridium", command: iridium(w.file), inProcess: guestMs },
      { name: "cli", command: [DENO, "run", "-A", "main.ts", `bench/workloads/${w.file}.iasm`] },
      { name: "javascript", command: iridium(w.file, "javascript"), inProcess: guestMs },
      ...peers(w, missing),
    ];
    if (w.file === "w1") {
      contenders.push({ name: "interpreter", command: iridium(w.file, "interpreter"), inProcess: guestMs });
    }
    console.error(`${w.title} ...`);
    const { walls, inner } = await alternate(contenders, rounds, w.expected);
    for (
      const [peer, label, target] of [["lua", "Lua 5.4", w.targets[0]], ["luajit", "LuaJIT", w.targets[1]]]
    ) {
      const p = walls.get(peer as string);
      if (!p) continue;
      report.add(`${w.title}, whole process`, walls.get("iridium")!, label as string, p, target as number);
      report.add(
        `${w.title}, in-process guest time`,
        inner.get("iridium")!,
        label as string,
        p,
        target as number,
      );
    }
    const lua = walls.get("lua");
    if (!lua) continue;
    report.add(`${w.title}, as \`iridium FILE\` (the CLI), whole process`, walls.get("cli")!, "Lua 5.4", lua);
    report.add(
      `${w.title}, JavaScript back end only, whole process`,
      walls.get("javascript")!,
      "Lua 5.4",
      lua,
    );
    if (walls.has("interpreter")) {
      report.add(
        `${w.title}, interpreter tier, whole process`,
        walls.get("interpreter")!,
        "Lua 5.4",
        lua,
        0.8,
      );
      report.add(`${w.title}, interpreter tier, in-process`, inner.get("interpreter")!, "Lua 5.4", lua, 0.8);
    }
  }
}

/** The realistic programs, whole process, against Lua 5.4 and LuaJIT; then the geometric mean. */
export async function runRealistic(
  report: Report,
  missing: Map<string, string>,
  rounds: number,
): Promise<void> {
  const toLuajit: number[][] = [];
  for (const w of REALISTIC) {
    const contenders = [
      { name: "iridium", command: iridium(w.file), inProcess: guestMs },
      ...peers(w, missing),
    ];
    console.error(`${w.title} ...`);
    const { walls } = await alternate(contenders, rounds, w.expected);
    const ir = walls.get("iridium")!, lua = walls.get("lua"), luajit = walls.get("luajit");
    if (lua) report.add(`${w.title}, whole process`, ir, "Lua 5.4", lua, REALISTIC_TO_LUA);
    if (luajit) toLuajit.push(report.add(`${w.title}, whole process`, ir, "LuaJIT", luajit).ratios);
  }
  if (toLuajit.length !== REALISTIC.length) return;
  // Round by round: the geometric mean of that round's ratios.
  const perRound = toLuajit[0].map((_, k) => geometricMean(toLuajit.map((ratios) => ratios[k])));
  const row = report.add(
    "realistic programs, geometric mean of the ratios",
    perRound,
    "LuaJIT",
    perRound.map(() => 1),
  );
  row.iridium = row.peerValue = "";
  row.target = REALISTIC_TO_LUAJIT;
}
