/**
 * THE opcode table. The assembler's operand checks, the encoder, the loader's verification, the
 * disassembler, `!help` and the README's instruction reference all derive from it. Adding an instruction
 * means adding a row here, and in src/vm/interpreter.ts a member of `const enum Op` with its `OP_VALUES`
 * entry (a test compares both with this table) and its case. For speed it may also get a case in
 * src/vm/fast/codegen.ts; without one, the fast tier hands the instruction to the interpreter.
 *
 * Numbers 0..47 are the original Rust Iridium's; 48..65 are this project's additions: constants and
 * printing (48..51), then moves, conversions, a logical shift, a remainder and a direct jump (52..58),
 * then processes, messages and time (59..65, src/vm/process_ops.ts).
 */
import type { OperandKind } from "./operands.ts";

/** One instruction of the set. */
export interface OpcodeInfo {
  /** The opcode byte. */
  readonly byte: number;
  /** Lower-case mnemonic as written in assembly. */
  readonly mnemonic: string;
  /** Operand kinds in encoding order. */
  readonly operands: readonly OperandKind[];
  /** One-line meaning, shown by `!help` and the README. */
  readonly summary: string;
}

/** Every instruction size, in bytes: opcode plus zero-padded operands. */
export const INSTRUCTION_SIZE = 4;

const R = "reg", F = "freg", I = "imm16", S = "shift", C = "code", D = "rodata";

/** The instruction set, in opcode order. */
export const OPCODES: readonly OpcodeInfo[] = [
  {
    byte: 0,
    mnemonic: "load",
    operands: [R, I],
    summary: "r = imm (assembly: any i32 via load + lui, or @label)",
  },
  { byte: 1, mnemonic: "add", operands: [R, R, R], summary: "c = a + b (wraps)" },
  { byte: 2, mnemonic: "sub", operands: [R, R, R], summary: "c = a - b (wraps)" },
  { byte: 3, mnemonic: "mul", operands: [R, R, R], summary: "c = a * b (low 32 bits)" },
  {
    byte: 4,
    mnemonic: "div",
    operands: [R, R, R],
    summary: "c = a / b toward zero, remainder = a % b; b = 0 faults",
  },
  { byte: 5, mnemonic: "hlt", operands: [], summary: "stop the program, status 0" },
  { byte: 6, mnemonic: "jmp", operands: [R], summary: "pc = r" },
  { byte: 7, mnemonic: "jmpf", operands: [R], summary: "pc = next instruction + r" },
  { byte: 8, mnemonic: "jmpb", operands: [R], summary: "pc = next instruction - r" },
  { byte: 9, mnemonic: "eq", operands: [R, R], summary: "equal_flag = a == b" },
  { byte: 10, mnemonic: "neq", operands: [R, R], summary: "equal_flag = a != b" },
  { byte: 11, mnemonic: "gte", operands: [R, R], summary: "equal_flag = a >= b (signed)" },
  { byte: 12, mnemonic: "lte", operands: [R, R], summary: "equal_flag = a <= b (signed)" },
  { byte: 13, mnemonic: "lt", operands: [R, R], summary: "equal_flag = a < b (signed)" },
  { byte: 14, mnemonic: "gt", operands: [R, R], summary: "equal_flag = a > b (signed)" },
  { byte: 15, mnemonic: "jmpe", operands: [R], summary: "if equal_flag: pc = r" },
  { byte: 16, mnemonic: "nop", operands: [], summary: "do nothing" },
  { byte: 17, mnemonic: "aloc", operands: [R], summary: "grow the heap by r zero bytes" },
  { byte: 18, mnemonic: "inc", operands: [R], summary: "r = r + 1" },
  { byte: 19, mnemonic: "dec", operands: [R], summary: "r = r - 1" },
  { byte: 20, mnemonic: "djmpe", operands: [C], summary: "if equal_flag: jump to the label" },
  { byte: 21, mnemonic: "prts", operands: [D], summary: "print the zero-terminated string at the label" },
  { byte: 22, mnemonic: "loadf64", operands: [F, I], summary: "f = imm as a double" },
  { byte: 23, mnemonic: "addf64", operands: [F, F, F], summary: "c = a + b (floats)" },
  { byte: 24, mnemonic: "subf64", operands: [F, F, F], summary: "c = a - b (floats)" },
  { byte: 25, mnemonic: "mulf64", operands: [F, F, F], summary: "c = a * b (floats)" },
  { byte: 26, mnemonic: "divf64", operands: [F, F, F], summary: "c = a / b (floats, IEEE)" },
  { byte: 27, mnemonic: "eqf64", operands: [F, F], summary: "equal_flag = a == b (floats)" },
  { byte: 28, mnemonic: "neqf64", operands: [F, F], summary: "equal_flag = a != b (floats)" },
  { byte: 29, mnemonic: "gtf64", operands: [F, F], summary: "equal_flag = a > b (floats)" },
  { byte: 30, mnemonic: "gtef64", operands: [F, F], summary: "equal_flag = a >= b (floats)" },
  { byte: 31, mnemonic: "ltf64", operands: [F, F], summary: "equal_flag = a < b (floats)" },
  { byte: 32, mnemonic: "ltef64", operands: [F, F], summary: "equal_flag = a <= b (floats)" },
  { byte: 33, mnemonic: "shl", operands: [R, S], summary: "r = r << n" },
  { byte: 34, mnemonic: "shr", operands: [R, S], summary: "r = r >> n (arithmetic)" },
  { byte: 35, mnemonic: "and", operands: [R, R, R], summary: "c = a & b" },
  { byte: 36, mnemonic: "or", operands: [R, R, R], summary: "c = a | b" },
  { byte: 37, mnemonic: "xor", operands: [R, R, R], summary: "c = a ^ b" },
  { byte: 38, mnemonic: "not", operands: [R, R], summary: "b = ~a" },
  { byte: 39, mnemonic: "lui", operands: [R, I], summary: "r = (r << 16) | imm" },
  { byte: 40, mnemonic: "cloop", operands: [I], summary: "loop_counter = imm" },
  {
    byte: 41,
    mnemonic: "loop",
    operands: [C],
    summary: "if loop_counter != 0: decrement it and jump to the label",
  },
  { byte: 42, mnemonic: "loadm", operands: [R, R], summary: "b = heap[a..a+4] (little-endian i32)" },
  { byte: 43, mnemonic: "setm", operands: [R, R], summary: "heap[a..a+4] = b (little-endian i32)" },
  { byte: 44, mnemonic: "push", operands: [R], summary: "push r" },
  { byte: 45, mnemonic: "pop", operands: [R], summary: "r = pop()" },
  {
    byte: 46,
    mnemonic: "call",
    operands: [C],
    summary: "push the next instruction's address, jump to the label",
  },
  { byte: 47, mnemonic: "ret", operands: [], summary: "pc = pop()" },
  { byte: 48, mnemonic: "ldi", operands: [R, D], summary: "r = the i32 constant at the label" },
  { byte: 49, mnemonic: "ldf64", operands: [F, D], summary: "f = the f64 constant at the label" },
  { byte: 50, mnemonic: "prti", operands: [R], summary: "print r in decimal and a newline" },
  {
    byte: 51,
    mnemonic: "prtf64",
    operands: [F],
    summary: "print f (shortest round-trip form) and a newline",
  },
  { byte: 52, mnemonic: "djmp", operands: [C], summary: "jump to the label" },
  { byte: 53, mnemonic: "mov", operands: [R, R], summary: "b = a" },
  {
    byte: 54,
    mnemonic: "movf64",
    operands: [F, F],
    summary: "b = a (floats, bit for bit: -0, NaN payloads kept)",
  },
  { byte: 55, mnemonic: "itof", operands: [R, F], summary: "f = r as a double (exact)" },
  {
    byte: 56,
    mnemonic: "ftoi",
    operands: [F, R],
    summary: "r = f toward zero; NaN, infinite or beyond i32 faults",
  },
  { byte: 57, mnemonic: "shru", operands: [R, S], summary: "r = r >>> n (logical)" },
  {
    byte: 58,
    mnemonic: "rem",
    operands: [R, R, R],
    summary: "c = a % b (sign of a, as div's remainder); b = 0 faults",
  },
  { byte: 59, mnemonic: "self", operands: [R], summary: "r = this process's PID (0 outside a process)" },
  {
    byte: 60,
    mnemonic: "send",
    operands: [R, R],
    summary: "append v to the mailbox of PID p; equal_flag = delivered (never blocks)",
  },
  {
    byte: 61,
    mnemonic: "recv",
    operands: [R, R],
    summary: "wait for the oldest message: v = value, s = sender's PID (0: !send)",
  },
  {
    byte: 62,
    mnemonic: "recvt",
    operands: [R, R, R],
    summary: "as recv, waiting at most t ms (t <= 0: no wait); equal_flag = a message came",
  },
  { byte: 63, mnemonic: "sleep", operands: [R], summary: "wait t ms (t <= 0: no wait)" },
  {
    byte: 64,
    mnemonic: "clock",
    operands: [R],
    summary: "r = milliseconds since the process started (wraps)",
  },
  {
    byte: 65,
    mnemonic: "whereis",
    operands: [R, D],
    summary: "r = PID of the running application named by the string at the label, else 0",
  },
];

/** Opcode byte to its row; undefined for an illegal opcode. */
export const OPCODE_BY_BYTE: readonly (OpcodeInfo | undefined)[] = (() => {
  const table: (OpcodeInfo | undefined)[] = new Array(256).fill(undefined);
  for (const op of OPCODES) table[op.byte] = op;
  return table;
})();

/** Lower-case mnemonic to its row. */
export const OPCODE_BY_MNEMONIC: ReadonlyMap<string, OpcodeInfo> = new Map(
  OPCODES.map((op) => [op.mnemonic, op]),
);
