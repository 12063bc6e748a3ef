/** A program as the loader and assembler produce it and the VM runs it. */

/** Code and read-only data; `entry` is a byte offset into `code`. */
export interface Program {
  /** The read-only section: strings and constants, addressed by byte offset. */
  readonly rodata: Uint8Array;
  /** The code section: 4-byte instructions. */
  readonly code: Uint8Array;
  /** Where execution starts, a byte offset into `code`. */
  readonly entry: number;
}

/** Where a label points. */
export interface SymbolInfo {
  readonly name: string;
  readonly section: "code" | "rodata";
  /** Byte offset into its section. */
  readonly address: number;
}

/** Labels of a program by name. */
export type SymbolTable = ReadonlyMap<string, SymbolInfo>;
