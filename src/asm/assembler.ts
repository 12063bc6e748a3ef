/**
 * The assembler: source text to code and read-only bytes in two passes (docs/language.md). Pass 1 lays out
 * every statement (so `load` expansion and constants move the labels after them) and defines labels; pass 2
 * encodes instructions, resolving forward references, and resolves `.entry`. Every error is collected; a line
 * with an error is reported once and skipped.
 */
import type { SymbolInfo, SymbolTable } from "../bytecode/program.ts";
import { rodataReadSize } from "../bytecode/verify.ts";
import { compareDiagnostics, type Diagnostic, diagnosticAt, type Span } from "../diag/diagnostic.ts";
import { encodeInstruction, formatAddress } from "../isa/encoding.ts";
import { INSTRUCTION_SIZE, OPCODE_BY_MNEMONIC, type OpcodeInfo } from "../isa/opcodes.ts";
import { isAddressKind, isRegisterKind, OPERAND_INFO, type OperandKind } from "../isa/operands.ts";
import { didYouMean, suggestName } from "../util/suggest.ts";
import {
  CONSTANT_DIRECTIVES,
  DIRECTIVE_NAMES,
  ENTRY_DIRECTIVE,
  i32Bits,
  i32RangeMessage,
} from "./constants.ts";
import type { Token } from "./lexer.ts";
import { type FastLine, Form, scanFastLine } from "./fast_line.ts";
import { type HeadToken, type LabelToken, parseLine, spanOfStatement, type Statement } from "./parser.ts";
import { lineMapOf } from "./source_map.ts";

/** A program assembled so far, which new source extends (the REPL's growing session program). */
export interface AssembleBase {
  codeLength: number;
  rodataLength: number;
  symbols: SymbolTable;
  /**
   * The base ended with a label alone on its line, which labels the first statement of the new source, as
   * it would in one file (the REPL assembles line by line: `msg:` then `.asciiz 'hi'`).
   */
  labelPending?: boolean;
  /** The section the base ended in, where the new source starts; default "code". */
  section?: "code" | "rodata";
}

/** How to assemble. */
export interface AssembleOptions {
  /** Name used in diagnostics; default `<input>`. */
  file?: string;
  /**
   * Extend this program: new labels start after its sections, and its labels may be used. `.entry` is an
   * error then (the program's entry point is already fixed).
   */
  base?: AssembleBase;
}

/**
 * Assembled bytes (only the new ones when extending a base) and the entry point (`.entry`, else 0), or every
 * error found.
 */
export type AssembleResult =
  | {
    ok: true;
    code: Uint8Array;
    rodata: Uint8Array;
    symbols: SymbolTable;
    entry: number;
    /** The source ended with a label alone on its line; see AssembleBase.labelPending. */
    labelPending: boolean;
    /** The section the source ended in. */
    section: "code" | "rodata";
    /** The source line of each new instruction (see lineMapOf). */
    lines: Uint32Array;
  }
  | { ok: false; diagnostics: Diagnostic[] };

/** Addresses are 16-bit operands, so a section may hold at most this many bytes (docs/language.md). */
export const SECTION_LIMIT = 0x10000;

const EMPTY_BASE: AssembleBase = { codeLength: 0, rodataLength: 0, symbols: new Map() };
const IMM16 = OPERAND_INFO.imm16;

type LabelRefToken = Extract<Token, { kind: "labelRef" }>;

/** An instruction laid out by pass 1, encoded by pass 2. */
interface Planned {
  statement: Statement;
  head: HeadToken;
  op: OpcodeInfo;
  /** Absolute code address. */
  address: number;
}

/** Assembles `source`; see AssembleOptions for extending an existing program. */
export function assemble(source: string, options: AssembleOptions = {}): AssembleResult {
  const file = options.file ?? "<input>";
  const base = options.base ?? EMPTY_BASE;
  const lines = source.split("\n");
  const assembly = new Assembly(file, base, []);
  for (let index = 0; index < lines.length; index++) {
    const fast = scanFastLine(lines[index]);
    if (fast !== undefined && assembly.layOutFast(fast, index + 1)) continue;
    const statement = parseLine(lines[index], index + 1, file, assembly.diagnostics);
    if (statement !== undefined) assembly.layOut(statement);
  }
  const code = assembly.code();
  for (const planned of assembly.planned) assembly.encode(planned, code);
  for (const fixUp of assembly.fixUps) {
    if (assembly.resolveFast(fixUp, code)) continue;
    // A label the fast path cannot use: the full path reports why, as for any other line.
    const statement = parseLine(lines[fixUp.line - 1], fixUp.line, file, assembly.diagnostics)!;
    assembly.encode({ statement, head: statement.head!, op: fixUp.op, address: fixUp.address }, code);
  }
  const entry = assembly.resolveEntry();
  const diagnostics = assembly.diagnostics.sort(compareDiagnostics);
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  const { symbols, labelPending, section } = assembly;
  const rodata = Uint8Array.from(assembly.rodata);
  const lineMap = assembly.withFastLines(lineMapOf(assembly.planned, base.codeLength, code.length));
  return { ok: true, code, rodata, symbols, entry, labelPending, section, lines: lineMap };
}

/** An instruction of the fast path with label operands, encoded once every label is known. */
interface FixUp {
  line: number;
  op: OpcodeInfo;
  address: number;
  values: number[];
  names: string[];
}

/** State of one assembly run. */
class Assembly {
  readonly symbols: Map<string, SymbolInfo>;
  readonly planned: Planned[] = [];
  readonly fixUps: FixUp[] = [];
  readonly rodata: number[] = [];
  /** The code so far: the fast path encodes a line without label operands as it lays it out. */
  #code = new Uint8Array(1024);
  /** The source line of each instruction slot the fast path laid out; 0 for the others. */
  #fastLines = new Uint32Array(256);
  codeEnd: number;
  #section: "code" | "rodata" = "code";
  #definedOnLine = new Map<string, number>();
  /** The previous statement was a label alone on its line, which labels this one. */
  #labelPending = false;
  #overflowReported = new Set<string>();
  /** Line of the first `.entry`, and its label reference when well-formed. */
  #entryLine?: number;
  #entryTarget?: LabelRefToken;

  constructor(readonly file: string, readonly base: AssembleBase, readonly diagnostics: Diagnostic[]) {
    this.symbols = new Map(base.symbols);
    this.codeEnd = base.codeLength;
    this.#labelPending = base.labelPending ?? false;
    this.#section = base.section ?? "code";
  }

  /** `lines` (one source line per instruction slot) with the fast path's lines put in. */
  withFastLines(lines: Uint32Array): Uint32Array {
    for (let slot = 0; slot < lines.length && slot < this.#fastLines.length; slot++) {
      if (this.#fastLines[slot] !== 0) lines[slot] = this.#fastLines[slot];
    }
    return lines;
  }

  /** The code bytes of the new source, as long as laid out (pass 2 fills in the rest). */
  code(): Uint8Array {
    return this.#code.slice(0, this.codeEnd - this.base.codeLength);
  }

  /**
   * Pass 1 for a line the fast path read (src/asm/fast_line.ts): lays it out as layOut() does an
   * instruction, and encodes it unless it names labels. False, having changed nothing, unless the line is
   * valid as it stands: the full path then takes it and reports what is wrong.
   */
  layOutFast(fast: FastLine, line: number): boolean {
    const op = OPCODE_BY_MNEMONIC.get(fast.mnemonic);
    if (op === undefined || this.#section !== "code" || fast.count !== op.operands.length) return false;
    if (fast.label !== "" && this.symbols.has(fast.label)) return false;
    if (this.codeEnd + INSTRUCTION_SIZE > SECTION_LIMIT) return false;
    let labels = false;
    for (let i = 0; i < fast.count; i++) {
      const kind = op.operands[i], form = fast.forms[i];
      if (isAddressKind(kind)) labels = true;
      const expected = isAddressKind(kind) ? Form.Label : isRegisterKind(kind) ? Form.Register : Form.Integer;
      if (form !== expected || (form !== Form.Label && fast.values[i] > OPERAND_INFO[kind].max)) return false;
    }
    this.#labelPending = false;
    if (fast.label !== "") {
      this.symbols.set(fast.label, { name: fast.label, section: "code", address: this.codeEnd });
      this.#definedOnLine.set(fast.label, line);
    }
    const address = this.codeEnd;
    this.codeEnd += INSTRUCTION_SIZE;
    const code = this.#room(this.codeEnd);
    this.#fastLines[(address - this.base.codeLength) / INSTRUCTION_SIZE] = line;
    if (!labels) encodeInstruction(op, fast.values, code, address - this.base.codeLength);
    else {
      const count = fast.count;
      this.fixUps.push({
        line,
        op,
        address,
        values: fast.values.slice(0, count),
        names: fast.names.slice(0, count),
      });
    }
    return true;
  }

  /** Pass 2 for a fast-path line with labels: encodes it when every label resolves; else false. */
  resolveFast({ op, address, values, names }: FixUp, code: Uint8Array): boolean {
    for (let i = 0; i < op.operands.length; i++) {
      const kind = op.operands[i];
      if (!isAddressKind(kind)) continue;
      const symbol = this.symbols.get(names[i]);
      if (symbol === undefined || symbol.section !== kind || symbol.address > IMM16.max) return false;
      if (kind === "code" && symbol.address >= this.codeEnd) return false;
      if (kind === "rodata" && symbol.address + rodataReadSize(op) > this.rodataEnd) return false;
      values[i] = symbol.address;
    }
    encodeInstruction(op, values, code, address - this.base.codeLength);
    return true;
  }

  /** The code buffer, grown to hold the code up to `end` (an absolute address). */
  #room(end: number): Uint8Array {
    const needed = end - this.base.codeLength;
    if (needed > this.#code.length) {
      const grown = new Uint8Array(Math.max(needed, this.#code.length * 2));
      grown.set(this.#code);
      this.#code = grown;
      const lines = new Uint32Array(grown.length / INSTRUCTION_SIZE + 1);
      lines.set(this.#fastLines);
      this.#fastLines = lines;
    }
    return this.#code;
  }

  /** See AssembleBase.labelPending. */
  get labelPending(): boolean {
    return this.#labelPending;
  }

  /** The current section. */
  get section(): "code" | "rodata" {
    return this.#section;
  }

  get rodataEnd(): number {
    return this.base.rodataLength + this.rodata.length;
  }

  #fail(span: Span, message: string): void {
    this.diagnostics.push(diagnosticAt(this.file, span, message));
  }

  /** Pass 1: defines the statement's label and reserves its bytes. */
  layOut(statement: Statement): void {
    const { label, head } = statement;
    const labelled = label !== undefined || this.#labelPending;
    if (head?.kind === "directive" && head.name === ENTRY_DIRECTIVE) {
      // `.entry` takes no room, so a label on it or pending before it labels the next statement too.
      if (label) this.#define(label, this.#section, statement);
      this.#labelPending = labelled && !statement.broken;
      this.#layOutEntry(statement, head);
      return;
    }
    this.#labelPending = label !== undefined && head === undefined && !statement.broken;
    if (head === undefined) {
      if (label) this.#define(label, this.#section, statement);
      return;
    }
    if (head.kind === "directive") {
      this.#layOutDirective(statement, head, labelled);
      return;
    }
    if (label) this.#define(label, "code", statement);
    const op = OPCODE_BY_MNEMONIC.get(head.name.toLowerCase());
    if (!op) {
      const suggestion = suggestName(head.name, OPCODE_BY_MNEMONIC.keys());
      this.#fail(head.span, `unknown mnemonic '${head.name}'${didYouMean(suggestion)}`);
    } else if (this.#section === "rodata") {
      this.#fail(head.span, `instruction inside .data: '${head.name}' belongs after '.code'`);
    } else if (!statement.broken) {
      this.planned.push({ statement, head, op, address: this.codeEnd });
    }
    this.codeEnd += op && expandedLoad(op, statement.operands) !== undefined
      ? 2 * INSTRUCTION_SIZE
      : INSTRUCTION_SIZE;
    this.#room(this.codeEnd);
    this.#checkLimit("code", this.codeEnd, head);
  }

  #layOutDirective(statement: Statement, head: HeadToken, labelled: boolean): void {
    const { label, operands } = statement;
    if (head.name === "data" || head.name === "code") {
      if (label) this.#define(label, this.#section, statement);
      if (operands.length > 0) {
        this.#fail(
          operands[0].span,
          `wrong operand count for '.${head.name}': expected none, found ${operands.length}`,
        );
      }
      this.#section = head.name === "data" ? "rodata" : "code";
      return;
    }
    const directive = CONSTANT_DIRECTIVES.get(head.name);
    if (!directive) {
      if (label) this.#define(label, this.#section, statement);
      const suggestion = suggestName(`.${head.name}`, DIRECTIVE_NAMES.map((name) => `.${name}`));
      this.#fail(head.span, `unknown directive '${head.text}'${didYouMean(suggestion)}`);
      return;
    }
    if (label) this.#define(label, "rodata", statement);
    if (this.#section !== "rodata") {
      this.#fail(head.span, `constant outside .data: '${head.text}' belongs after '.data'`);
    } else if (!labelled) {
      this.#fail(head.span, `constant without label: expected 'name: ${head.text} ...'`);
    }
    if (statement.broken) return;
    const result = directive.encode(operands);
    if (!result.ok) {
      this.#fail(result.token?.span ?? spanOfStatement(head, operands), result.message);
      for (const { token, message } of result.more ?? []) this.#fail(token.span, message);
      return;
    }
    this.rodata.push(...result.bytes);
    this.#checkLimit("read-only", this.rodataEnd, head);
  }

  /** `.entry @label`: checks its shape now; the label is resolved after layout (it may come later). */
  #layOutEntry(statement: Statement, head: HeadToken): void {
    if (this.base !== EMPTY_BASE) {
      this.#fail(
        head.span,
        "'.entry' is not available here: the program's entry point is already fixed",
      );
      return;
    }
    if (this.#entryLine !== undefined) {
      this.#fail(head.span, `duplicate '.entry' (first on line ${this.#entryLine})`);
      return;
    }
    this.#entryLine = statement.line;
    const { operands } = statement;
    if (statement.broken) return;
    if (operands.length !== 1) {
      const span = operands.length === 0 ? head.span : spanOfStatement(operands[1], operands.slice(2));
      this.#fail(span, `wrong operand count for '.entry': expected one code label, found ${operands.length}`);
      return;
    }
    const [token] = operands;
    if (token.kind !== "labelRef") {
      this.#fail(token.span, `wrong operand kind: expected a code label, found '${token.text}'`);
      return;
    }
    this.#entryTarget = token;
  }

  /** After layout: the `.entry` label's address, or 0 when there is none (or after reporting why not). */
  resolveEntry(): number {
    const token = this.#entryTarget;
    if (token === undefined) return 0;
    const symbol = this.#labelOfKind("code", token);
    if (symbol === undefined) return 0;
    // Defensive: code labels are laid out at instruction starts, but the header must never be misaligned.
    if (symbol.address % INSTRUCTION_SIZE !== 0) {
      this.#fail(
        token.span,
        `label '${token.name}' (${formatAddress(symbol.address)}) is not on an instruction boundary`,
      );
      return 0;
    }
    return symbol.address;
  }

  #define(label: LabelToken, section: "code" | "rodata", statement: Statement): void {
    const { name } = label;
    if (this.symbols.has(name)) {
      const line = this.#definedOnLine.get(name);
      const where = line === undefined ? "already defined in the program" : `first defined on line ${line}`;
      this.#fail(label.span, `duplicate label '${name}' (${where})`);
      return;
    }
    const address = section === "code" ? this.codeEnd : this.rodataEnd;
    this.symbols.set(name, { name, section, address });
    this.#definedOnLine.set(name, statement.line);
  }

  #checkLimit(section: string, end: number, head: HeadToken): void {
    if (end <= SECTION_LIMIT || this.#overflowReported.has(section)) return;
    this.#overflowReported.add(section);
    const most = section === "code"
      ? `${SECTION_LIMIT / INSTRUCTION_SIZE} instructions`
      : `${SECTION_LIMIT / 1024} KiB of read-only data`;
    this.#fail(
      head.span,
      `program too large: the ${section} section would end at 0x${end.toString(16)}, past ${
        formatAddress(SECTION_LIMIT)
      } (addresses are 16-bit: at most ${most})`,
    );
  }

  /** Pass 2: checks the operands of one instruction and writes it into `code`. */
  encode({ statement, head, op, address }: Planned, code: Uint8Array): void {
    const { operands } = statement;
    const at = address - this.base.codeLength;
    if (operands.length !== op.operands.length) {
      const span = operands.length > op.operands.length
        ? spanOfStatement(operands[op.operands.length], operands.slice(op.operands.length + 1))
        : spanOfStatement(head, operands);
      const shape = op.operands.map((kind) => OPERAND_INFO[kind].description).join(", ") || "no operands";
      this.#fail(
        span,
        `wrong operand count for '${op.mnemonic}': expected ${op.operands.length} (${shape}), found ${operands.length}`,
      );
      return;
    }
    const bits = expandedLoad(op, operands);
    if (bits !== undefined) {
      const register = this.#operandValue(op, "reg", operands[0]);
      if (register === undefined) return;
      const lui = OPCODE_BY_MNEMONIC.get("lui")!;
      encodeInstruction(op, [register, bits >>> 16], code, at);
      encodeInstruction(lui, [register, bits & 0xffff], code, at + INSTRUCTION_SIZE);
      return;
    }
    const values: number[] = [];
    let valid = true;
    for (let i = 0; i < operands.length; i++) {
      const value = this.#operandValue(op, op.operands[i], operands[i]);
      if (value === undefined) valid = false; // go on: every operand's error is reported
      else values.push(value);
    }
    if (valid) encodeInstruction(op, values, code, at);
  }

  /** The encodable value of `token` as an operand of `kind`, or undefined after reporting why not. */
  #operandValue(op: OpcodeInfo, kind: OperandKind, token: Token): number | undefined {
    const info = OPERAND_INFO[kind];
    const wrongKind = () => {
      const hint = token.kind === "float" ? floatHint(token.text) : "";
      this.#fail(
        token.span,
        `wrong operand kind: expected ${info.description}, found '${token.text}'${hint}`,
      );
      return undefined;
    };
    switch (kind) {
      case "reg":
      case "freg":
        if (token.kind !== "register") return wrongKind();
        if (token.value > info.max) {
          this.#fail(token.span, `register out of range: expected $0..$${info.max}, found ${token.text}`);
          return undefined;
        }
        return token.value;
      case "imm16":
      case "shift":
        if (token.kind === "labelRef" && op.mnemonic === "load") return this.#loadedAddress(token);
        if (token.kind !== "integer") return wrongKind();
        if (token.value < info.min || token.value > info.max) {
          const range = `value out of range: expected ${info.min}..${info.max}, found ${token.value}`;
          this.#fail(token.span, op.mnemonic === "load" ? i32RangeMessage(token) : range);
          return undefined;
        }
        return token.value;
      case "code":
      case "rodata":
        if (token.kind !== "labelRef") return wrongKind();
        return this.#labelAddress(op, kind, token);
    }
  }

  #labelAddress(op: OpcodeInfo, kind: "code" | "rodata", token: LabelRefToken) {
    const symbol = this.#labelOfKind(kind, token);
    if (symbol === undefined) return undefined;
    const size = rodataReadSize(op);
    if (kind === "rodata" && symbol.address + size > this.rodataEnd) {
      const left = this.rodataEnd - symbol.address;
      this.#fail(
        token.span,
        `data label '${token.name}' has ${left} byte${
          left === 1 ? "" : "s"
        } after it, '${op.mnemonic}' reads ${size}`,
      );
      return undefined;
    }
    return symbol.address > IMM16.max ? undefined : symbol.address;
  }

  /**
   * `load $r @label`: the label's address, a code offset or a read-only offset by the label's section. A
   * section ends by SECTION_LIMIT, so only a label at the very end of a full section is past 16 bits.
   */
  #loadedAddress(token: LabelRefToken): number | undefined {
    const symbol = this.#definedLabel(token);
    if (symbol === undefined) return undefined;
    if (symbol.address > IMM16.max) {
      this.#fail(
        token.span,
        `label '${token.name}' is at ${formatAddress(symbol.address)}, past the 16-bit limit`,
      );
      return undefined;
    }
    return symbol.address;
  }

  /** The label `token` names, or undefined after reporting it undefined. */
  #definedLabel(token: LabelRefToken): SymbolInfo | undefined {
    const symbol = this.symbols.get(token.name);
    if (!symbol) {
      const suggestion = suggestName(token.name, this.symbols.keys());
      this.#fail(token.span, `undefined label '${token.name}'${didYouMean(suggestion)}`);
    }
    return symbol;
  }

  /** The label `token` names when it is defined, of `kind`, and (for code) on an instruction; else reports. */
  #labelOfKind(kind: "code" | "rodata", token: LabelRefToken): SymbolInfo | undefined {
    const symbol = this.#definedLabel(token);
    if (!symbol) return undefined;
    if (symbol.section !== kind) {
      const found = symbol.section === "code" ? "code label" : "data label";
      this.#fail(
        token.span,
        `wrong label kind: expected ${OPERAND_INFO[kind].description}, found ${found} '${token.name}'`,
      );
      return undefined;
    }
    if (kind === "code" && symbol.address >= this.codeEnd) {
      this.#fail(
        token.span,
        `label '${token.name}' is at the end of the code (${
          formatAddress(symbol.address)
        }), not at an instruction`,
      );
      return undefined;
    }
    return symbol;
  }
}

/** How to get a float that is not a whole number into a register: a `.float` constant and `ldf64`. */
function floatHint(text: string): string {
  return ` (for a float, declare 'name: .float ${text}' in .data and load it with 'ldf64 $r @name')`;
}

/**
 * The i32 bits `load $r #n` must put in the register when `n` is outside 0..65535 but any i32:
 * then it assembles as `load $r #hi` + `lui $r #lo`. Undefined when no expansion applies, which includes
 * `load $r @label`: a label's address fits 16 bits (see #loadedAddress), so that `load` is one instruction
 * whether the label comes before or after it.
 */
function expandedLoad(op: OpcodeInfo, operands: readonly Token[]): number | undefined {
  if (op.mnemonic !== "load" || operands.length !== 2) return undefined;
  const token = operands[1];
  if (token.kind !== "integer" || (token.value >= IMM16.min && token.value <= IMM16.max)) return undefined;
  return i32Bits(token);
}
