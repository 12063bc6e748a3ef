/** Text the REPL commands print: the help list, the register table and the symbol list. */
import type { SymbolTable } from "../bytecode/program.ts";
import { formatAddress } from "../isa/encoding.ts";
import { OPCODES } from "../isa/opcodes.ts";
import { OPERAND_INFO } from "../isa/operands.ts";
import { formatFloat } from "../util/format_float.ts";

/** What `!help` lists of a command: src/repl/commands.ts's ReplCommand has these members. */
export interface CommandHelp {
  readonly name: string;
  readonly args: readonly string[];
  readonly help: string;
}

/** The machine state `!registers` shows; src/vm/machine.ts's Machine has these members. */
export interface MachineView {
  readonly registers: Int32Array;
  readonly floats: Float64Array;
  readonly pc: number;
  readonly equalFlag: boolean;
  readonly remainder: number;
  readonly loopCounter: number;
  readonly heapSize: number;
  readonly stackDepth: number;
}

/** Lays out `cells` in rows of `perRow`, each column as wide as its widest cell. */
function grid(cells: string[], perRow: number): string {
  const widths = Array.from(
    { length: perRow },
    (_, c) => Math.max(...cells.filter((_, i) => i % perRow === c).map((s) => s.length)),
  );
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += perRow) {
    const row = cells.slice(i, i + perRow).map((cell, c) => cell.padEnd(widths[c]));
    rows.push(row.join("  ").trimEnd());
  }
  return rows.map((row) => `${row}\n`).join("");
}

/**
 * The `!registers` table: the 32 integer registers in 4 rows of 8, then pc, the flags, heap size and
 * stack depth, then the float registers that are not zero (all 32 would mostly print zeros).
 */
export function formatRegisters(machine: MachineView): string {
  const cells = Array.from(machine.registers, (value, i) => `$${i}`.padEnd(4) + String(value));
  let text = grid(cells, 8);
  text += `pc ${formatAddress(machine.pc)}  equal_flag ${machine.equalFlag}  remainder ${machine.remainder}` +
    `  loop_counter ${machine.loopCounter}  heap ${machine.heapSize} bytes  stack ${machine.stackDepth} words\n`;
  const floats = Array.from(machine.floats, (value, i) => ({ value, i }))
    .filter(({ value }) => !Object.is(value, 0))
    .map(({ value, i }) => `$${i}`.padEnd(4) + formatFloat(value));
  text += floats.length === 0 ? "floats: all 0\n" : `floats:\n${grid(floats, 8)}`;
  return text;
}

/** The `!symbols` list: code labels, then data labels, each by address. */
export function formatSymbols(symbols: SymbolTable): string {
  if (symbols.size === 0) return "no symbols\n";
  const list = [...symbols.values()].sort((a, b) =>
    a.section === b.section ? a.address - b.address : a.section === "code" ? -1 : 1
  );
  const width = Math.max(...list.map((s) => s.name.length));
  return list.map((s) => `${s.name.padEnd(width)}  ${s.section.padEnd(6)}  ${formatAddress(s.address)}\n`)
    .join("");
}

/** The `!help` text, from the command table and, for `!help instructions`, from the opcode table. */
export function formatHelp(commands: readonly CommandHelp[], instructions: boolean): string {
  if (instructions) {
    const rows = OPCODES.map((
      op,
    ) => [[op.mnemonic, ...op.operands.map((k) => OPERAND_INFO[k].syntax)].join(" "), op.summary]);
    const width = Math.max(...rows.map(([left]) => left.length));
    return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}\n`).join("");
  }
  const rows = commands.map((c) => [[`!${c.name}`, ...c.args].join(" "), c.help]);
  const width = Math.max(...rows.map(([left]) => left.length));
  return "Commands:\n" + rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}\n`).join("") +
    "Any other line is assembly, e.g. 'load $0 #7' then 'prti $0'; it runs as soon as it is entered.\n";
}
