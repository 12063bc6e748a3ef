/**
 * The `.iro` bytecode file (docs/bytecode.md) as named offsets: a 64-byte header, then the read-only section,
 * then the code section. All header integers are little-endian.
 */

/** `EPIE`, the original's magic. */
export const MAGIC: readonly number[] = [0x45, 0x50, 0x49, 0x45];
/** The one format version this project reads and writes. */
export const FORMAT_VERSION = 1;
/** Header size; the read-only section starts here. */
export const HEADER_SIZE = 64;

/** Header field offsets. */
export const MAGIC_OFFSET = 0;
export const VERSION_OFFSET = 4;
/** u32: read-only section length. */
export const RODATA_LENGTH_OFFSET = 8;
/** u32: code section length, a multiple of 4. */
export const CODE_LENGTH_OFFSET = 12;
/** u32: entry point, a byte offset into the code section. */
export const ENTRY_OFFSET = 16;
/** Header byte ranges `[start, end)` that must be zero: after the version, and the reserved tail. */
export const ZERO_RANGES: readonly (readonly [number, number])[] = [[5, 8], [20, HEADER_SIZE]];
