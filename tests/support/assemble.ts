/** Assembly text to a Program, for tests; throws on an assembly error. */
import { assemble } from "../../src/asm/assembler.ts";
import type { Program } from "../../src/bytecode/program.ts";

/** The program `source` assembles to. */
export function assembleText(source: string): Program {
  const result = assemble(source);
  if (!result.ok) throw new Error(`assembly failed: ${JSON.stringify(result.diagnostics[0])}`);
  return { code: result.code, rodata: result.rodata, entry: result.entry };
}
