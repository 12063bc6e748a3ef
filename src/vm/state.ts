/**
 * The machine state the dispatch loop works on (docs/language.md), as plain public fields so that
 * src/vm/interpreter.ts can copy the hot parts into locals; src/vm/machine.ts is the public face.
 */
import type { FaultKind } from "./faults.ts";
import { NO_PROCESS, type ProcessHost } from "./process_host.ts";

/** Bytes of heap a program starts with (docs/language.md). */
export const INITIAL_HEAP_SIZE = 64;

/**
 * Where the heap starts in a WebAssembly.Memory that holds it: the first 64 KiB page is the compiled
 * code's registers and stack (src/vm/fast/wasm_codegen.ts).
 */
export const HEAP_IN_MEMORY = 65_536;

/**
 * A heap growing past this many bytes moves into a WebAssembly.Memory (where WebAssembly exists), so that
 * compiled code works on it in place however large it gets: copying a fresh 16 MiB array into a memory
 * costs tens of milliseconds (its pages faulted in twice), growing a memory does not.
 */
const MEMORY_HEAP_SIZE = 65_536;

const PAGE = 65_536;

/**
 * Placeholders until the Machine sets a program (it always does, in its constructor): shared, since they
 * are never written, so a new machine allocates only what it keeps. Typed arrays are not cheap to make:
 * in a profile of 200 SSH sessions each running one command, building VmState was a fifth of the REPL's
 * share.
 */
const NO_CODE = new Int32Array(4);
const NO_RODATA = new Uint8Array(0);
const NO_RODATA_VIEW = new DataView(NO_RODATA.buffer);

/** Why the dispatch loop returned. */
export const enum Stop {
  Halted,
  Faulted,
  Budget,
  Interrupted,
  Ended,
  /** A process instruction waits (src/vm/process_ops.ts); pc stays on it. */
  Waiting,
}

/** Everything the interpreter reads and writes; see MachineOptions for the configuration fields. */
export class VmState {
  /**
   * What the interpreter runs: the pre-decoded code packed one word per instruction (src/vm/predecode.ts
   * `packCode`), with superinstructions (src/vm/superinstructions.ts) unless the machine was made without.
   */
  code: Int32Array = NO_CODE;
  /** The pre-decoded code, one slot per byte of the code section plus the end sentinel (the fast tier's). */
  decoded: Int32Array = NO_CODE;
  /** Length of the code section in bytes (the pre-decoded array has one more sentinel instruction). */
  codeLength = 0;
  /** True when the code names a float register (else the interpreter need not copy the floats). */
  usesFloats = false;
  rodata: Uint8Array = NO_RODATA;
  rodataView: DataView = NO_RODATA_VIEW;

  readonly registers: Int32Array = new Int32Array(32);
  readonly floats: Float64Array = new Float64Array(32);
  pc = 0;
  equalFlag = false;
  remainder = 0;
  /** Unsigned; `cloop` sets at most 65535. */
  loopCounter = 0;

  /**
   * Backing store; its capacity may exceed `heapSize`, and bytes past `heapSize` are always zero. Either a
   * plain array or a view of `heapMemory` from HEAP_IN_MEMORY to its end.
   */
  heap!: Uint8Array; // set by clear(), as are the four below
  heapSize!: number;
  /** The WebAssembly.Memory holding the heap, when it is in one (see growHeap). */
  heapMemory: WebAssembly.Memory | undefined;
  /** Backing store; its capacity may exceed `stackDepth`, never `stackLimit`. */
  stack!: Int32Array;
  stackDepth!: number;

  /** Instructions the last interpret() call executed. */
  executed = 0;
  /** Set by the loop when it returns Stop.Faulted. */
  faultKind: FaultKind = "illegal opcode";
  /** Set by Machine.interrupt(); cleared when a run returns "interrupted". */
  interruptRequested = false;
  /** The process around the program (pool worker) or NO_PROCESS. */
  host: ProcessHost = NO_PROCESS;
  /** Epoch milliseconds at which a waiting `recvt` or `sleep` ends; -1 when none is waiting. */
  waitDeadline = -1;
  /** On Stop.Waiting: true when a message ends the wait (`recv`, `recvt`), false for `sleep`. */
  waitsForMessage = false;

  constructor(
    readonly output: (text: string) => void,
    readonly heapLimit: number,
    readonly stackLimit: number,
    /** True for endOfCode "pause". */
    readonly pauseAtEnd: boolean,
    readonly interruptFlag: Int32Array | undefined,
  ) {
    this.clear();
  }

  /** Registers, floats, flags, heap and stack back to their initial values. */
  clear(): void {
    this.registers.fill(0);
    this.floats.fill(0);
    this.equalFlag = false;
    this.remainder = 0;
    this.loopCounter = 0;
    this.heap = new Uint8Array(INITIAL_HEAP_SIZE);
    this.heapSize = INITIAL_HEAP_SIZE;
    this.heapMemory = undefined;
    // The push fast path checks the capacity only, so the capacity never exceeds the limit.
    this.stack = new Int32Array(Math.min(16, this.stackLimit));
    this.stackDepth = 0;
    this.interruptRequested = false;
    this.waitDeadline = -1;
  }
}

/**
 * The heap of `s` with room for at least `size` bytes, its bytes kept: capacity doubles (capped at the
 * heap limit) so that a program growing its heap a few bytes at a time does not copy it every time. Past
 * MEMORY_HEAP_SIZE the heap lives in a WebAssembly.Memory (`s.heapMemory`), which grows in place; where
 * no memory can be had, a plain array.
 */
export function growHeap(s: VmState, size: number): Uint8Array {
  const { heap, heapMemory } = s;
  const capacity = Math.max(size, Math.min(s.heapLimit, heap.length * 2));
  if (capacity > MEMORY_HEAP_SIZE && typeof WebAssembly === "object") {
    try {
      const pages = Math.ceil((HEAP_IN_MEMORY + capacity) / PAGE);
      if (heapMemory !== undefined && heap.buffer === heapMemory.buffer) {
        heapMemory.grow(pages - heapMemory.buffer.byteLength / PAGE);
        return s.heap = new Uint8Array(heapMemory.buffer, HEAP_IN_MEMORY);
      }
      return moveHeapIntoMemory(s, new WebAssembly.Memory({ initial: pages }));
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
  }
  const grown = new Uint8Array(capacity);
  grown.set(heap);
  s.heapMemory = undefined;
  return s.heap = grown;
}

/**
 * Copies the heap of `s` into `memory` (fresh, so zero, with room from HEAP_IN_MEMORY for the heap's whole
 * backing store) and makes it the heap.
 */
export function moveHeapIntoMemory(s: VmState, memory: WebAssembly.Memory): Uint8Array {
  const view = new Uint8Array(memory.buffer, HEAP_IN_MEMORY);
  view.set(s.heap);
  s.heapMemory = memory;
  return s.heap = view;
}

/** A copy of `stack` with more room, doubling up to `limit` words. */
export function growStack(stack: Int32Array, limit: number): Int32Array {
  const grown = new Int32Array(Math.max(stack.length + 1, Math.min(limit, stack.length * 2)));
  grown.set(stack);
  return grown;
}

const decoder = new TextDecoder();

/** The zero-terminated UTF-8 string at `offset`, or undefined when it runs past the section. */
export function readString(rodata: Uint8Array, offset: number): string | undefined {
  const end = rodata.indexOf(0, offset);
  if (offset >= rodata.length || end < 0) return undefined;
  return decoder.decode(rodata.subarray(offset, end));
}

/** A double as `prtf64` prints it; the one float formatter, also used by `!registers`. */
export { formatFloat } from "../util/format_float.ts";
