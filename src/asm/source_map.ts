/**
 * What ties assembled code back to its source: the source line of each instruction, and the names of
 * labels, so that a fault in a program run from a file names `FILE:LINE` and `@top`, as the REPL does.
 */
import type { SymbolTable } from "../bytecode/program.ts";
import type { LabelNamer } from "../isa/encoding.ts";
import { INSTRUCTION_SIZE } from "../isa/opcodes.ts";

/**
 * The source line of each instruction slot of `codeLength` new bytes of code that start at `base`, from
 * the address and line of each statement that emits code. A slot no statement starts (the `lui` of a
 * `load` expanded to two instructions) belongs to the statement before it.
 */
export function lineMapOf(
  statements: readonly { address: number; statement: { line: number } }[],
  base: number,
  codeLength: number,
): Uint32Array {
  const lines = new Uint32Array(codeLength / INSTRUCTION_SIZE);
  for (const { address, statement } of statements) {
    lines[(address - base) / INSTRUCTION_SIZE] = statement.line;
  }
  for (let slot = 1; slot < lines.length; slot++) if (lines[slot] === 0) lines[slot] = lines[slot - 1];
  return lines;
}

/** Names addresses by the first label declared at each, for disassembly in fault messages. */
export function labelNamerOf(symbols: SymbolTable): LabelNamer {
  const names = new Map<string, string>();
  for (const symbol of symbols.values()) {
    const key = `${symbol.section}:${symbol.address}`;
    if (!names.has(key)) names.set(key, symbol.name);
  }
  return (kind, address) => names.get(`${kind}:${address}`);
}
