/**
 * The disassembler: a program back to assembly text that assembles to the same code, read-only bytes and
 * entry point (docs/bytecode.md, docs/language.md); a nonzero entry prints as `.entry @label` first.
 * Instructions print by operand shape through src/isa/encoding.ts, exactly as they are (a `load` + `lui` pair
 * stays two lines). Labels come from the symbol table when given, else are synthesized: `L_0010` for code
 * addresses that instructions use, `d_0010` for read-only pieces.
 */
import type { Program, SymbolTable } from "../bytecode/program.ts";
import { rodataReadSize } from "../bytecode/verify.ts";
import { decodeOperands, formatAddress, formatInstruction } from "../isa/encoding.ts";
import { INSTRUCTION_SIZE, OPCODE_BY_BYTE } from "../isa/opcodes.ts";
import { isQuotable, quoteString } from "./strings.ts";

/** How to print. */
export interface DisassembleOptions {
  /** Prefix each instruction and constant with its address (`0x0010  div $0 $1 $2`); does not reassemble. */
  addresses?: boolean;
  /** Label names to use instead of synthesized ones. */
  symbols?: SymbolTable;
}

/** Raw bytes per `.bytes` line. */
const BYTES_PER_LINE = 16;
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Names by address, for one section. */
type Names = Map<number, string[]>;

/** The assembly text of `program`, ending with a newline. */
export function disassemble(program: Program, options: DisassembleOptions = {}): string {
  const { code, rodata } = program;
  const taken = new Set(options.symbols?.keys() ?? []);
  const codeNames: Names = new Map(), dataNames: Names = new Map();
  for (const symbol of options.symbols?.values() ?? []) {
    const names = symbol.section === "code" ? codeNames : dataNames;
    names.set(symbol.address, [...names.get(symbol.address) ?? [], symbol.name]);
  }
  const name = (names: Names, address: number, prefix: string): string => {
    const existing = names.get(address);
    if (existing) return existing[0];
    let synthesized = `${prefix}_${formatAddress(address).slice(2)}`;
    while (taken.has(synthesized)) synthesized += "_";
    taken.add(synthesized);
    names.set(address, [synthesized]);
    return synthesized;
  };

  const entry = program.entry !== 0 ? name(codeNames, program.entry, "L") : undefined;
  const readSizes = new Map<number, number>();
  for (let offset = 0; offset + INSTRUCTION_SIZE <= code.length; offset += INSTRUCTION_SIZE) {
    const op = OPCODE_BY_BYTE[code[offset]];
    if (!op) continue;
    const values = decodeOperands(op, code, offset);
    op.operands.forEach((kind, i) => {
      if (kind === "code") name(codeNames, values[i], "L");
      if (kind !== "rodata") return;
      name(dataNames, values[i], "d");
      const size = rodataReadSize(op);
      if (size > 1) readSizes.set(values[i], size);
    });
  }

  const prefix = (address: number) => options.addresses ? `${formatAddress(address)}  ` : "";
  const lines: string[] = entry === undefined ? [] : [`.entry @${entry}`];
  const labelLines = (names: Names, address: number) => {
    for (const label of names.get(address) ?? []) lines.push(`${label}:`);
  };
  if (rodata.length > 0) {
    lines.push(".data");
    const starts = new Set([0, ...dataNames.keys()].filter((offset) => offset < rodata.length));
    const bounds = [...starts].sort((a, b) => a - b);
    bounds.forEach((start, i) => {
      const end = bounds[i + 1] ?? rodata.length;
      for (let at = start; at < end;) {
        const piece = nextPiece(rodata, at, end, readSizes.get(at));
        const [first, ...others] = dataNames.get(at) ?? [name(dataNames, at, "d")];
        for (const other of others) lines.push(`${other}:`);
        lines.push(`${prefix(at)}${first}: ${piece.text}`);
        at += piece.length;
      }
    });
    labelLines(dataNames, rodata.length);
    lines.push(".code");
  }
  const nameLabel = (kind: "code" | "rodata", address: number) =>
    (kind === "code" ? codeNames : dataNames).get(address)?.[0];
  for (let offset = 0; offset < code.length; offset += INSTRUCTION_SIZE) {
    labelLines(codeNames, offset);
    lines.push(`${prefix(offset) || "    "}${formatInstruction(code, offset, nameLabel)}`);
  }
  labelLines(codeNames, code.length);
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

/**
 * The directive for the read-only bytes at `at` (before `end`): a `.float` or `.integer` where an
 * instruction reads one, a `.asciiz` for a zero-terminated UTF-8 string the lexer can read back, otherwise
 * `.bytes` through the next zero byte.
 */
function nextPiece(
  rodata: Uint8Array,
  at: number,
  end: number,
  readSize: number | undefined,
): { text: string; length: number } {
  const view = new DataView(rodata.buffer, rodata.byteOffset, rodata.byteLength);
  if (readSize === 8 && at + 8 <= end) {
    const text = floatLiteral(view.getFloat64(at, true));
    if (text !== undefined) return { text: `.float #${text}`, length: 8 };
  }
  if (readSize === 4 && at + 4 <= end) return { text: `.integer #${view.getInt32(at, true)}`, length: 4 };
  const zero = rodata.subarray(at, end).indexOf(0);
  if (zero >= 0) {
    const text = decodeUtf8(rodata.subarray(at, at + zero));
    if (text !== undefined && isQuotable(text)) {
      return { text: `.asciiz ${quoteString(text)}`, length: zero + 1 };
    }
  }
  const length = Math.min(end - at, BYTES_PER_LINE, zero >= 0 ? zero + 1 : Infinity);
  const bytes = [...rodata.subarray(at, at + length)].map((byte) => `#${byte}`);
  return { text: `.bytes ${bytes.join(" ")}`, length };
}

/** A float as `.float` writes it so that it reads back to the same bits; undefined for NaN and infinities. */
function floatLiteral(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (Object.is(value, -0)) return "-0.0";
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
