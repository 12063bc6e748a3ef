/**
 * Just enough of the WebAssembly binary format (https://webassembly.github.io/spec/core/binary/) for the
 * fast tier's WebAssembly back end (src/vm/fast/wasm_codegen.ts): a function body written as bytes with a
 * stack of named labels, and a module of one exported function and one imported memory.
 */

/** Instruction bytes used by the back end. */
export const enum W {
  Block = 0x02,
  Loop = 0x03,
  If = 0x04,
  Else = 0x05,
  End = 0x0b,
  Br = 0x0c,
  BrIf = 0x0d,
  BrTable = 0x0e,
  Select = 0x1b,
  LocalGet = 0x20,
  LocalSet = 0x21,
  LocalTee = 0x22,
  I32Load = 0x28,
  F64Load = 0x2b,
  I32Store = 0x36,
  F64Store = 0x39,
  I32Const = 0x41,
  F64Const = 0x44,
  I32Eqz = 0x45,
  I32Eq = 0x46,
  I32Ne = 0x47,
  I32LtS = 0x48,
  I32LtU = 0x49,
  I32GtS = 0x4a,
  I32GtU = 0x4b,
  I32LeS = 0x4c,
  I32GeS = 0x4e,
  F64Eq = 0x61,
  F64Ne = 0x62,
  F64Lt = 0x63,
  F64Gt = 0x64,
  F64Le = 0x65,
  F64Ge = 0x66,
  I32Add = 0x6a,
  I32Sub = 0x6b,
  I32Mul = 0x6c,
  I32DivS = 0x6d,
  I32DivU = 0x6e,
  I32RemS = 0x6f,
  I32And = 0x71,
  I32Or = 0x72,
  I32Xor = 0x73,
  I32Shl = 0x74,
  I32ShrS = 0x75,
  I32ShrU = 0x76,
  F64Add = 0xa0,
  F64Sub = 0xa1,
  F64Mul = 0xa2,
  F64Div = 0xa3,
  I32TruncF64S = 0xaa,
  F64ConvertI32S = 0xb7,
}

/** Value and block types. */
const I32 = 0x7f, F64 = 0x7c, EMPTY = 0x40;

// Both encoders run cold (once per compiled program, in V8's interpreter), so the one-byte case, which
// is most local indices, depths and constants, skips the loop.
function unsigned(value: number, out: number[]): void {
  if (value >>> 0 < 0x80) {
    out.push(value);
    return;
  }
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
}

function signed(value: number, out: number[]): void {
  if (value >= -0x40 && value < 0x40) {
    out.push(value & 0x7f);
    return;
  }
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

const float = new DataView(new ArrayBuffer(8));

/**
 * A function body under construction. Structured control flow names its targets: `open` pushes a label,
 * `end` pops it, and `br(label)` works out the relative depth, so the generator never counts nesting.
 */
export class FunctionBody {
  readonly bytes: number[] = [];
  readonly #labels: string[] = [];

  op(...codes: W[]): this {
    this.bytes.push(...codes);
    return this;
  }

  i32(value: number): this {
    this.bytes.push(W.I32Const);
    signed(value | 0, this.bytes);
    return this;
  }

  /**
   * An `i32.const` written in five bytes whatever its value (LEB128 allows the padding), so that
   * patchI32() can fill it in once the value is known; returns where those bytes are.
   */
  i32Placeholder(): number {
    this.bytes.push(W.I32Const);
    const at = this.bytes.length;
    this.bytes.push(0x80, 0x80, 0x80, 0x80, 0x00);
    return at;
  }

  /** Writes `value` (0 to 2^31 - 1) into the placeholder at `at`. */
  patchI32(at: number, value: number): void {
    for (let k = 0; k < 4; k++) this.bytes[at + k] = ((value >>> (7 * k)) & 0x7f) | 0x80;
    this.bytes[at + 4] = (value >>> 28) & 0x07;
  }

  f64(value: number): this {
    this.bytes.push(W.F64Const);
    float.setFloat64(0, value, true);
    for (let i = 0; i < 8; i++) this.bytes.push(float.getUint8(i));
    return this;
  }

  get(local: number): this {
    this.bytes.push(W.LocalGet);
    unsigned(local, this.bytes);
    return this;
  }

  set(local: number): this {
    this.bytes.push(W.LocalSet);
    unsigned(local, this.bytes);
    return this;
  }

  /** A load or store with its alignment (log2 bytes) and constant offset. */
  memory(code: W, align: number, offset: number): this {
    this.bytes.push(code, align);
    unsigned(offset, this.bytes);
    return this;
  }

  /** Opens a `block`, `loop` or `if` (no result) under `label`. */
  open(kind: W.Block | W.Loop | W.If, label: string): this {
    this.bytes.push(kind, EMPTY);
    this.#labels.push(label);
    return this;
  }

  /** An `if` whose arms leave one i32. */
  ifI32(label: string): this {
    this.bytes.push(W.If, I32);
    this.#labels.push(label);
    return this;
  }

  else(): this {
    this.bytes.push(W.Else);
    return this;
  }

  end(): this {
    this.bytes.push(W.End);
    this.#labels.pop();
    return this;
  }

  #depth(label: string): number {
    const at = this.#labels.lastIndexOf(label);
    if (at < 0) throw new Error(`no enclosing label ${label}`);
    return this.#labels.length - 1 - at;
  }

  br(label: string): this {
    this.bytes.push(W.Br);
    unsigned(this.#depth(label), this.bytes);
    return this;
  }

  brIf(label: string): this {
    this.bytes.push(W.BrIf);
    unsigned(this.#depth(label), this.bytes);
    return this;
  }

  /** `br_table`: `targets[i]` for an index i below their count, else `fallback`. */
  brTable(targets: readonly string[], fallback: string): this {
    this.bytes.push(W.BrTable);
    unsigned(targets.length, this.bytes);
    const depths = new Map<string, number>(); // one lookup per label: a table has an entry per instruction
    for (const label of targets) {
      let depth = depths.get(label);
      if (depth === undefined) depths.set(label, depth = this.#depth(label));
      unsigned(depth, this.bytes);
    }
    unsigned(this.#depth(fallback), this.bytes);
    return this;
  }
}

function section(id: number, content: number[], out: number[]): void {
  out.push(id);
  unsigned(content.length, out);
  for (const byte of content) out.push(byte);
}

function name(text: string, out: number[]): void {
  unsigned(text.length, out);
  for (const char of text) out.push(char.charCodeAt(0));
}

/** What the module's one function looks like. */
export interface FunctionShape {
  params: number;
  i32Locals: number;
  f64Locals: number;
}

/**
 * A module exporting `run`, a function of `shape.params` i32 parameters returning an i32 whose code is
 * `parts` one after the other (the last ending in the function's own `end`), and importing its memory as
 * `env.memory`, of at least `pages` 64 KiB pages. The parts are copied once, by Uint8Array.set: generation
 * runs cold, once per program, and byte-by-byte copies of a few kilobytes took a millisecond or more in
 * V8's interpreter.
 */
export function moduleBytes(
  shape: FunctionShape,
  parts: readonly (readonly number[])[],
  pages: number,
): Uint8Array<ArrayBuffer> {
  const head = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  section(1, [1, 0x60, shape.params, ...new Array(shape.params).fill(I32), 1, I32], head);
  const imports = [1];
  name("env", imports);
  name("memory", imports);
  imports.push(0x02, 0);
  unsigned(pages, imports);
  section(2, imports, head);
  section(3, [1, 0], head);
  const exports = [1];
  name("run", exports);
  exports.push(0x00, 0);
  section(7, exports, head);
  const locals = [2];
  unsigned(shape.i32Locals, locals);
  locals.push(I32);
  unsigned(shape.f64Locals, locals);
  locals.push(F64);
  const bodySize = parts.reduce((sum, part) => sum + part.length, locals.length);
  const functionSize: number[] = [];
  unsigned(bodySize, functionSize);
  const sectionSize: number[] = [];
  unsigned(1 + functionSize.length + bodySize, sectionSize);
  head.push(10, ...sectionSize, 1, ...functionSize, ...locals);
  const bytes = new Uint8Array(head.length + bodySize - locals.length);
  bytes.set(head);
  let at = head.length;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}
