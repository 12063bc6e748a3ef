/**
 * Encoding and decoding of one instruction by operand shape: the opcode byte, then each operand at its
 * width (1-byte registers, 2-byte big-endian immediates and addresses), zero-padded to 4 bytes.
 * The assembler's encoder, the loader's verifier, the disassembler and fault messages all go through here.
 */
import { INSTRUCTION_SIZE, OPCODE_BY_BYTE, type OpcodeInfo } from "./opcodes.ts";
import { isAddressKind, isRegisterKind, OPERAND_INFO, type OperandKind } from "./operands.ts";

/** Writes one instruction into `target` at `offset`. Operand values must already be in range. */
export function encodeInstruction(
  op: OpcodeInfo,
  operands: readonly number[],
  target: Uint8Array,
  offset: number,
) {
  target.fill(0, offset, offset + INSTRUCTION_SIZE);
  target[offset] = op.byte;
  let at = offset + 1;
  for (let i = 0; i < op.operands.length; i++) {
    const value = operands[i], width = OPERAND_INFO[op.operands[i]].width;
    if (width === 1) {
      target[at] = value;
    } else {
      target[at] = (value >>> 8) & 0xff;
      target[at + 1] = value & 0xff;
    }
    at += width;
  }
}

/** Reads the operand values of the instruction at `offset` (whose opcode is `op`). */
export function decodeOperands(op: OpcodeInfo, code: Uint8Array, offset: number): number[] {
  const values: number[] = [];
  let at = offset + 1;
  for (const kind of op.operands) {
    values.push(OPERAND_INFO[kind].width === 1 ? code[at] : (code[at] << 8) | code[at + 1]);
    at += OPERAND_INFO[kind].width;
  }
  return values;
}

/**
 * An address or offset as every message, listing and synthesized label shows it: `0x` and at least four
 * hex digits (`0x0010`).
 */
export function formatAddress(address: number): string {
  return `0x${address.toString(16).padStart(4, "0")}`;
}

/** Names a label for an address operand, or returns undefined to print the number. */
export type LabelNamer = (kind: "code" | "rodata", address: number) => string | undefined;

/** One operand as assembly text: `$3`, `#42`, `@label` (or `@0x0010` without a name). */
export function formatOperand(kind: OperandKind, value: number, nameLabel?: LabelNamer): string {
  if (isRegisterKind(kind)) return `$${value}`;
  if (isAddressKind(kind)) {
    const name = nameLabel?.(kind, value);
    return name ? `@${name}` : `@${formatAddress(value)}`;
  }
  return `#${value}`;
}

/**
 * The instruction at `offset` as assembly text, e.g. `div $0 $1 $2`; the same printer serves the
 * disassembler, `!program` and fault messages. An illegal opcode prints as `<illegal opcode 0xNN>`.
 */
export function formatInstruction(code: Uint8Array, offset: number, nameLabel?: LabelNamer): string {
  const op = OPCODE_BY_BYTE[code[offset]];
  if (!op) return `<illegal opcode 0x${code[offset].toString(16).padStart(2, "0")}>`;
  const values = decodeOperands(op, code, offset);
  return [op.mnemonic, ...op.operands.map((kind, i) => formatOperand(kind, values[i], nameLabel))].join(" ");
}
