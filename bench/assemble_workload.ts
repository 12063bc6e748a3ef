/**
 * W4: assembles Iridium chunks in-process, one per file argument, after reading them all:
 *
 *   deno run -A bench/assemble_workload.ts chunk0.iasm chunk1.iasm ...
 *
 * Prints one line like bench/workloads/w4.lua: lines assembled, then milliseconds spent in assemble().
 */
import { assemble } from "../src/asm/assembler.ts";

const sources = Deno.args.map((file) => Deno.readTextFileSync(file));
const lines = sources.reduce((sum, source) => sum + source.split("\n").length - 1, 0);
const start = performance.now();
sources.forEach((source, i) => {
  const result = assemble(source, { file: Deno.args[i] });
  if (!result.ok) throw new Error(`${Deno.args[i]}: ${result.diagnostics.length} errors`);
});
console.log(lines, performance.now() - start);
