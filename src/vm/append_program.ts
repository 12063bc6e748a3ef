/**
 * Loading a program that extends the loaded one, as the REPL does a line at a time: only the new
 * instructions are pre-decoded, packed and fused, into arrays that grow by doubling, so N appended lines
 * cost O(N) in all where loading the whole program each time costs O(N²) (20,000 typed lines took seconds).
 * The state it leaves is the one loadProgram() leaves (tests/vm/append_program_test.ts compares them).
 *
 * A static code address outside the code pre-decodes to -1, but the same address may lie inside a longer
 * program; so once a program holds such an address, appending falls back to loading it whole.
 */
import type { Program } from "../bytecode/program.ts";
import { INSTRUCTION_SIZE, OPCODE_BY_BYTE } from "../isa/opcodes.ts";
import { namesFloatRegister, packCode, predecodeCode } from "./predecode.ts";
import type { VmState } from "./state.ts";
import { fuseInstructions } from "./superinstructions.ts";

/** The spare room of a state's arrays; kept beside the state, which knows nothing of it. */
interface Room {
  decoded: Int32Array;
  code: Int32Array;
}

/**
 * Per machine state: the arrays with spare room behind state.decoded and state.code. A WeakMap keyed by
 * the state, so each machine has its own and none outlives its machine.
 */
const ROOMS = new WeakMap<VmState, Room>();

/** True when an instruction of pre-decoded `decoded` has a static code address outside the code (-1). */
function hasOutsideTarget(decoded: Int32Array): boolean {
  for (let pc = 0; pc + INSTRUCTION_SIZE <= decoded.length; pc += INSTRUCTION_SIZE) {
    const operands = OPCODE_BY_BYTE[decoded[pc]]?.operands ?? [];
    if (operands.some((kind, i) => kind === "code" && decoded[pc + 1 + i] === -1)) return true;
  }
  return false;
}

/**
 * Loads `program`, whose code starts with the state's current code, by decoding only what follows it.
 * Returns false, changing nothing, when it cannot (a shorter program, a cut-short last instruction, an
 * address outside the code); the caller then loads the program whole.
 */
export function appendProgram(state: VmState, program: Program, superinstructions: boolean): boolean {
  const size = INSTRUCTION_SIZE;
  const from = state.codeLength;
  const length = program.code.length;
  if (from % size !== 0 || length < from || state.decoded.length !== from + size) return false;
  // The room holds the loaded program only if the last load was an append (loadProgram makes new arrays).
  let room = ROOMS.get(state);
  if (room && room.decoded.buffer !== state.decoded.buffer) room = undefined;
  if (!room && hasOutsideTarget(state.decoded)) return false;
  const tail = predecodeCode(program.code.subarray(from), length);
  if (hasOutsideTarget(tail)) return false;
  const total = from + tail.length;
  if (!room || room.decoded.length < total) {
    const capacity = Math.max(total, 2 * (room?.decoded.length ?? state.decoded.length), 256);
    const decoded = new Int32Array(capacity), code = new Int32Array(capacity);
    decoded.set(state.decoded.subarray(0, from));
    code.set(state.code.subarray(0, from));
    room = { decoded, code };
    ROOMS.set(state, room);
  }
  room.decoded.set(tail, from);
  const decoded = room.decoded.subarray(0, total);
  if (superinstructions) {
    // An instruction fuses with the two after it, so the last two old ones may fuse with new ones.
    const start = Math.max(0, from - 2 * size);
    room.code.set(fuseInstructions(decoded.subarray(start)), start);
  } else {
    room.code.set(packCode(tail), from);
  }
  state.decoded = decoded;
  state.code = room.code.subarray(0, total);
  state.codeLength = length;
  state.usesFloats ||= namesFloatRegister(tail);
  state.rodata = program.rodata;
  state.rodataView = new DataView(
    program.rodata.buffer,
    program.rodata.byteOffset,
    program.rodata.byteLength,
  );
  return true;
}
