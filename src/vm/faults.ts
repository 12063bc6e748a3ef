/**
 * Faults as values: a fault stops the program and names its kind, the `pc` and the
 * instruction; it never throws into the host (docs/language.md).
 */
import { INSTRUCTION_SIZE } from "../isa/opcodes.ts";
import { formatAddress, formatInstruction, type LabelNamer } from "../isa/encoding.ts";

/** Every fault the machine can report, in the words of docs/language.md. */
export type FaultKind =
  | "division by zero"
  | "illegal opcode"
  | "register out of range"
  | "jump outside the code"
  | "heap access out of range"
  | "heap limit exceeded"
  | "stack overflow"
  | "empty stack"
  | "no hlt"
  | "read-only access out of range"
  | "float to integer out of range"
  | "no mailbox";

/** A stopped program's reason, e.g. `fault: division by zero at 0x0010 (div $0 $1 $2)`. */
export interface Fault {
  kind: FaultKind;
  /** Byte offset of the faulting instruction (or of the end of the code for "no hlt"). */
  pc: number;
  /** The instruction as assembly text, or a short description when there is none at `pc`. */
  instruction: string;
  /** The full one-line message. */
  message: string;
}

/**
 * Builds the fault `kind` at `pc`, naming the instruction found there in `code`; `nameLabel` lets a caller
 * that knows the program's labels (the REPL) print `@top` rather than `@0x0000`.
 */
export function createFault(kind: FaultKind, code: Uint8Array, pc: number, nameLabel?: LabelNamer): Fault {
  const instruction = describeInstructionAt(code, pc, nameLabel);
  return { kind, pc, instruction, message: `fault: ${kind} at ${formatAddress(pc)} (${instruction})` };
}

/** The instruction at `pc` as text, or why there is none. */
export function describeInstructionAt(code: Uint8Array, pc: number, nameLabel?: LabelNamer): string {
  if (pc === code.length) return "ran off the end of the code";
  if (pc < 0 || pc > code.length || pc % INSTRUCTION_SIZE !== 0) return "pc outside the code";
  if (pc + INSTRUCTION_SIZE > code.length) return "truncated instruction";
  return formatInstruction(code, pc, nameLabel);
}
