/**
 * The VM heap for the WebAssembly back end (src/vm/fast/wasm_codegen.ts): a module imports the memory
 * that holds the heap of the machine it runs (src/vm/state.ts `heapMemory`, the heap from
 * HEAP_IN_MEMORY on), so the compiled code and the interpreter work on the same bytes and nothing is
 * copied per call. A heap still in a plain array moves into a memory of its own here, once.
 */
import { HEAP_IN_MEMORY, moveHeapIntoMemory, type VmState } from "../state.ts";

const PAGE = 65_536;

/**
 * The memory holding the heap of `s`, moving the heap into a new one first when it is in a plain array;
 * undefined when V8 cannot make the memory (the JavaScript back end then takes the run).
 */
export function heapMemoryOf(s: VmState): WebAssembly.Memory | undefined {
  const memory = s.heapMemory;
  if (memory !== undefined && s.heap.buffer === memory.buffer) return memory;
  try {
    const pages = Math.ceil((HEAP_IN_MEMORY + s.heap.length) / PAGE);
    const fresh = new WebAssembly.Memory({ initial: pages });
    moveHeapIntoMemory(s, fresh);
    return fresh;
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
