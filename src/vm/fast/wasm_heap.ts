/**
 * The VM heap inside a WebAssembly module's linear memory (src/vm/fast/wasm_codegen.ts): the heap's bytes
 * sit from HEAP on, and the VmState's `heap` becomes a view of them, so the compiled code and the
 * interpreter work on the same bytes and nothing is copied per call.
 *
 * The VmState keeps the heap's rules (src/vm/state.ts): `heapSize` bytes in use, the rest of the backing
 * store zero. The interpreter still runs `aloc`; when the heap outgrows the view it copies it into a plain
 * array (state.ts `growHeap`), and the next call adopts that array again, growing the memory. A memory has
 * one owner at a time: a second machine running the same compiled code gets its own heap copied in, and
 * the first keeps a copy of its bytes.
 */
import type { VmState } from "../state.ts";

/** Byte offset of the heap in the linear memory: the second 64 KiB page, after registers and stack. */
export const HEAP = 65_536;

const PAGE = 65_536;

/** The heap of whichever VmState last ran in one module's memory. */
export class WasmHeap {
  /** The view handed to the owner as its `heap`: from HEAP to the end of the memory. */
  #view: Uint8Array | undefined;
  #owner: VmState | undefined;

  constructor(readonly memory: WebAssembly.Memory) {}

  /**
   * Makes `s.heap` a view of the memory (copying its bytes in) unless it is one already. "grown" when the
   * memory grew, which detaches every earlier view of it; "no room" (and nothing changed) when V8 cannot
   * grow it, for the JavaScript back end to take the run.
   */
  adopt(s: VmState): "same" | "grown" | "no room" {
    if (s === this.#owner && s.heap === this.#view) return "same";
    const needed = HEAP + Math.max(s.heapSize, s.heap.length);
    const grown = needed > this.memory.buffer.byteLength;
    const previous = this.#owner;
    if (previous !== undefined && previous !== s && previous.heap === this.#view) {
      previous.heap = this.#view!.slice(0, previous.heapSize);
      this.#owner = undefined;
    }
    if (grown) {
      try {
        this.memory.grow(Math.ceil((needed - this.memory.buffer.byteLength) / PAGE));
      } catch (error) {
        if (error instanceof RangeError) return "no room";
        throw error;
      }
    }
    const view = new Uint8Array(this.memory.buffer, HEAP);
    view.set(s.heap.subarray(0, s.heapSize));
    view.fill(0, s.heapSize); // an earlier owner's bytes, or this one's before a reset
    s.heap = view;
    this.#view = view;
    this.#owner = s;
    return grown ? "grown" : "same";
  }
}
