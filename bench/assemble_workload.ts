/**
 * W4: assembles Iridium chunks in-process, one per file argument, after reading them all:
 *
 *   deno run -A bench/assemble_workload.ts chunk0.iasm chunk1.iasm ...
 *
 * Prints one line like bench/workloads/w4.lua: lines assembled, then the milliseconds of CPU time the
 * process spent in assemble() (user and system, as Lua's os.clock() counts), so that waiting for a core on
 * a busy machine counts on neither side.
 */
import process from "node:process";
import { assemble } from "../src/asm/assembler.ts";

const sources = Deno.args.map((file) => Deno.readTextFileSync(file));
const lines = sources.reduce((sum, source) => sum + source.split("\n").length - 1, 0);
const start = process.cpuUsage();
sources.forEach((source, i) => {
  const result = assemble(source, { file: Deno.args[i] });
  if (!result.ok) throw new Error(`${Deno.args[i]}: ${result.diagnostics.length} errors`);
});
const used = process.cpuUsage(start);
console.log(lines, (used.user + used.system) / 1000);
