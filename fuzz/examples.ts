/** The example programs (examples/*.iasm) as seeds for mutation, and small helpers the targets share. */
import { assemble } from "../src/asm/assembler.ts";
import type { Program } from "../src/bytecode/program.ts";

const EXAMPLES_DIR = new URL("../examples/", import.meta.url);

/** The text of every example program, by file name. */
export async function readExamples(): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  for await (const entry of Deno.readDir(EXAMPLES_DIR)) {
    if (entry.isFile && entry.name.endsWith(".iasm")) {
      sources.set(entry.name, await Deno.readTextFile(new URL(entry.name, EXAMPLES_DIR)));
    }
  }
  if (sources.size === 0) throw new Error("no examples/*.iasm to seed the fuzzers with");
  return sources;
}

/** The program `source` assembles to, or undefined. */
export function assembleProgram(source: string): Program | undefined {
  const result = assemble(source);
  return result.ok ? { code: result.code, rodata: result.rodata, entry: result.entry } : undefined;
}
