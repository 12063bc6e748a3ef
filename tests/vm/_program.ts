/**
 * Builds programs for VM tests and benchmarks without the assembler: each line is a mnemonic and its
 * operand values, encoded by encodeInstruction(); a string line `"name:"` declares a label at the next
 * instruction, and an operand `"@name"` is that label's code address.
 */
import type { Program } from "../../src/bytecode/program.ts";
import { encodeInstruction } from "../../src/isa/encoding.ts";
import { INSTRUCTION_SIZE, OPCODE_BY_MNEMONIC } from "../../src/isa/opcodes.ts";
import { Machine, type MachineOptions, type RunResult } from "../../src/vm/machine.ts";

/** One instruction: mnemonic, then numbers or `@label` references. */
export type Line = readonly [string, ...(number | string)[]];

/** Encodes `lines` (instructions and `"label:"` strings) with `rodata` into a Program. */
export function program(
  lines: readonly (Line | string)[],
  rodata: Uint8Array | readonly number[] = [],
  entry = 0,
): Program {
  const labels = new Map<string, number>();
  let address = 0;
  for (const line of lines) {
    if (typeof line === "string") labels.set(line.slice(0, -1), address);
    else address += INSTRUCTION_SIZE;
  }
  const code = new Uint8Array(address);
  address = 0;
  for (const line of lines) {
    if (typeof line === "string") continue;
    const [mnemonic, ...operands] = line;
    const op = OPCODE_BY_MNEMONIC.get(mnemonic);
    if (!op) throw new Error(`unknown mnemonic ${mnemonic}`);
    const values = operands.map((value) => {
      if (typeof value === "number") return value;
      const target = labels.get(value.slice(1));
      if (target === undefined) throw new Error(`undefined label ${value}`);
      return target;
    });
    encodeInstruction(op, values, code, address);
    address += INSTRUCTION_SIZE;
  }
  return { code, rodata: Uint8Array.from(rodata), entry };
}

/** Zero-terminated UTF-8 bytes of `text`, as `.asciiz` lays them out. */
export function asciiz(text: string): number[] {
  return [...new TextEncoder().encode(text), 0];
}

/** Limits roomy enough for every test that is not about limits. */
export const TEST_OPTIONS: Omit<MachineOptions, "output"> = {
  heapLimit: 1 << 20,
  stackLimit: 1024,
  endOfCode: "fault",
};

/** A machine whose output is collected into `output()`. */
export function createMachine(prog: Program, options: Partial<MachineOptions> = {}) {
  let text = "";
  const machine = new Machine(prog, {
    ...TEST_OPTIONS,
    output: (chunk) => {
      text += chunk;
    },
    ...options,
  });
  return { machine, output: () => text };
}

/** Runs `lines` to the end (budget 1,000,000) and returns the result, the machine and the output. */
export function runLines(
  lines: readonly (Line | string)[],
  rodata: readonly number[] = [],
  options: Partial<MachineOptions> = {},
): { result: RunResult; machine: Machine; output: string } {
  const { machine, output } = createMachine(program(lines, rodata), options);
  const result = machine.run(1_000_000);
  return { result, machine, output: output() };
}
