/**
 * W4 of bench/peers.ts: assembling 200,000 generated lines in-process (bench/assemble_workload.ts) against
 * Lua compiling the equivalent chunks with load() (bench/workloads/w4.lua); both report the CPU
 * milliseconds spent in the call alone, after reading their files.
 */
import { alternate, type Contender } from "./_peers_run.ts";
import type { Report } from "./_peers_report.ts";
import { generateChunk } from "./workloads/w4_generate.ts";

const DENO = Deno.execPath();
const LINES = 200_000;

/** Iridium's time at most this many times Lua 5.4's load(): at least half its rate. */
const TO_LUA = 2.0;

export async function runAssembler(
  report: Report,
  missing: Map<string, string>,
  rounds: number,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "iridium-w4-" });
  const iasm: string[] = [], lua: string[] = [];
  // 16-bit code addresses cap a program at 16,384 instructions, so 200,000 lines are 14 programs.
  for (let i = 0, total = 0; total < LINES; i++) {
    const lines = Math.min(15_000, LINES - total);
    const chunk = generateChunk(lines, i + 1);
    iasm.push(`${dir}/chunk${i}.iasm`);
    lua.push(`${dir}/chunk${i}.lua`);
    await Deno.writeTextFile(iasm.at(-1)!, chunk.iasm);
    await Deno.writeTextFile(lua.at(-1)!, chunk.lua);
    total += lines;
  }
  const reported = (_: string, stdout: string) => Number(stdout.trim().split(/\s+/)[1]);
  const contenders: Contender[] = [
    {
      name: "iridium",
      command: [DENO, "run", "-A", "bench/assemble_workload.ts", ...iasm],
      inProcess: reported,
    },
  ];
  if (!missing.has("lua5.4")) {
    contenders.push({
      name: "lua",
      command: ["lua5.4", "bench/workloads/w4.lua", ...lua],
      inProcess: reported,
    });
  }
  if (!missing.has("luajit")) {
    contenders.push({
      name: "luajit",
      command: ["luajit", "bench/workloads/w4.lua", ...lua],
      inProcess: reported,
    });
  }
  console.error("W4 assembling 200,000 lines ...");
  const { walls, inner } = await alternate(contenders, rounds);
  const rate = (ms: number[]) => `${((LINES / ms[Math.floor(ms.length / 2)]) / 1e3).toFixed(2)} M lines/s`;
  for (const [peer, label] of [["lua", "Lua 5.4 load()"], ["luajit", "LuaJIT load()"]] as const) {
    const p = inner.get(peer);
    if (!p) continue;
    const ir = inner.get("iridium")!;
    const row = report.add(
      "W4 assemble 200,000 lines, in-process",
      ir,
      label,
      p,
      peer === "lua" ? TO_LUA : undefined,
    );
    const sorted = (ms: number[]) => [...ms].sort((a, b) => a - b);
    row.iridium += ` (${rate(sorted(ir))})`;
    row.peerValue += ` (${rate(sorted(p))})`;
    report.add("W4 assemble 200,000 lines, whole process", walls.get("iridium")!, label, walls.get(peer)!);
  }
  await Deno.remove(dir, { recursive: true });
}
