/**
 * The machine as the CLI, the REPL and the process pool use it: a program, its state (docs/language.md), and
 * run(budget) slices that end with a status. It knows no terminal: output goes to a callback.
 */
import type { Program } from "../bytecode/program.ts";
import { createFault, type Fault } from "./faults.ts";
import type { ProcessHost } from "./process_host.ts";
import { interpret } from "./interpreter.ts";
import { isJumpTarget } from "../isa/jump_target.ts";
import { namesFloatRegister, packCode, predecodeCode } from "./predecode.ts";
import { formatFloat, Stop, VmState } from "./state.ts";
import { fuseInstructions } from "./superinstructions.ts";
import { appendProgram } from "./append_program.ts";

export { Stop, VmState };

/**
 * How a run() ended: `halted` by `hlt`, `faulted` (see `fault`), out of `budget`, `interrupted` by
 * interrupt() or the interrupt flag, `ended` at the end of the code with endOfCode "pause", or `waiting`
 * in `recv`, `recvt` or `sleep` (run() again once a message came or `wakeAt` passed).
 */
export type RunStatus = "halted" | "faulted" | "budget" | "interrupted" | "ended" | "waiting";

/** The outcome of one run() call. */
export interface RunResult {
  status: RunStatus;
  /** Present when status is "faulted". */
  fault?: Fault;
  /** Instructions executed by this call: `hlt` counts, a faulting instruction does not. */
  executed: number;
  /** With "waiting": epoch milliseconds at which the wait ends by itself; absent: only a message ends it. */
  wakeAt?: number;
  /** With "waiting": true when a message ends the wait (`recv`, `recvt`). */
  waitsForMessage?: boolean;
}

/** Everything a suspended process keeps while it waits without a thread (Machine.save and restore). */
export interface SavedMachine {
  registers: Int32Array;
  floats: Float64Array;
  pc: number;
  equalFlag: boolean;
  remainder: number;
  loopCounter: number;
  /** The heap's bytes (heapSize of them). */
  heap: Uint8Array;
  /** The stack's words, bottom first. */
  stack: Int32Array;
  waitDeadline: number;
}

/** Configuration of a machine; the limits' defaults live in cli.yml and the caller passes them. */
export interface MachineOptions {
  /** Receives the text of `prts`, `prti` and `prtf64`. */
  output: (text: string) => void;
  /** Largest heap, in bytes. */
  heapLimit: number;
  /** Deepest stack, in 32-bit words. */
  stackLimit: number;
  /**
   * At pc == code length: "fault" reports "no hlt" (running a file); "pause" returns status "ended" with
   * pc left at the end, so code appended by setProgram() continues from there (the REPL).
   */
  endOfCode: "fault" | "pause";
  /** A flag another thread may set (nonzero = stop; slot 0 of a SharedArrayBuffer); its owner clears it. */
  interruptFlag?: Int32Array;
  /** What runs the instructions; the reference interpreter when absent (src/vm/fast/ has the other). */
  executor?: Executor;
  /**
   * false: the interpreter runs every instruction by itself, without superinstructions
   * (src/vm/superinstructions.ts). The plainest reference, for differential tests; default true.
   */
  superinstructions?: boolean;
  /** The process around the program (src/vm/process_host.ts); absent: no mailbox, nowhere to send. */
  process?: ProcessHost;
}

/**
 * What runs a machine's instructions. The contract is interpret()'s: at most `budget` instructions, the
 * count left in `state.executed`, a Stop as the result, faults as `state.faultKind` with pc on the
 * faulting instruction. The Machine around it does the rest (statuses, fault messages, the stopped state).
 */
export interface Executor {
  /** The state now holds a new program (setProgram); forget anything derived from the old one. */
  programChanged(state: VmState): void;
  /** Runs the state's program from its pc. */
  execute(state: VmState, budget: number): Stop;
}

/** The reference interpreter as an Executor. */
export const INTERPRETER: Executor = { programChanged() {}, execute: interpret };

const STATUS: Record<Stop, RunStatus> = {
  [Stop.Halted]: "halted",
  [Stop.Faulted]: "faulted",
  [Stop.Budget]: "budget",
  [Stop.Interrupted]: "interrupted",
  [Stop.Ended]: "ended",
  [Stop.Waiting]: "waiting",
};

/** Machine.snapshot(): the visible state of a machine. */
export interface MachineSnapshot {
  pc: number;
  registers: number[];
  floats: string[];
  equalFlag: boolean;
  remainder: number;
  loopCounter: number;
  heap: number[];
  stack: number[];
}

/** The bits of the quiet NaN that arithmetic produces; other NaNs show their bits in a snapshot. */
const CANONICAL_NAN = 0x7ff8000000000000n;

/**
 * Float registers as snapshot() shows them: `-0` kept, and a NaN other than the canonical one with its
 * bits (`NaN:0x7ff8000000000001`), so that comparing snapshots compares floats bit for bit. The bits are
 * read through an integer view: a NaN read as a number may lose its payload on the way.
 */
function describeFloats(floats: Float64Array): string[] {
  const bits = new BigUint64Array(floats.buffer, floats.byteOffset, floats.length);
  return [...bits].map((word, i) => {
    const value = floats[i];
    if (Number.isNaN(value) && word !== CANONICAL_NAN) return `NaN:0x${word.toString(16)}`;
    return formatFloat(value);
  });
}

/** An Iridium machine running one program. */
export class Machine {
  /** What runs the instructions: INTERPRETER, or the fast tier's. */
  readonly executor: Executor;
  readonly #state: VmState;
  readonly #superinstructions: boolean;
  #program!: Program;
  /** The result a halted or faulted machine repeats until reset(), setProgram() or a pc change. */
  #stopped: RunResult | undefined;

  constructor(program: Program, options: MachineOptions) {
    this.#state = new VmState(
      options.output,
      options.heapLimit,
      options.stackLimit,
      options.endOfCode === "pause",
      options.interruptFlag,
    );
    if (options.process) this.#state.host = options.process;
    this.executor = options.executor ?? INTERPRETER;
    this.#superinstructions = options.superinstructions ?? true;
    this.setProgram(program);
    this.#state.pc = program.entry;
  }

  /**
   * The 32 integer registers, live between runs: writes change the machine. During a run (an output
   * callback) they hold the values from the run's start: the interpreter works on a copy.
   */
  get registers(): Int32Array {
    return this.#state.registers;
  }

  /** The 32 float registers, live between runs as the integer registers are. */
  get floats(): Float64Array {
    return this.#state.floats;
  }

  /** Byte offset of the next instruction in the code section. */
  get pc(): number {
    return this.#state.pc;
  }
  set pc(value: number) {
    this.#state.pc = value;
    this.#stopped = undefined;
  }

  get equalFlag(): boolean {
    return this.#state.equalFlag;
  }
  set equalFlag(value: boolean) {
    this.#state.equalFlag = value;
  }

  /** Set by `div`; its sign follows the dividend. */
  get remainder(): number {
    return this.#state.remainder;
  }
  set remainder(value: number) {
    this.#state.remainder = value | 0;
  }

  /** Set by `cloop`, counted down by `loop`. */
  get loopCounter(): number {
    return this.#state.loopCounter;
  }
  set loopCounter(value: number) {
    this.#state.loopCounter = value >>> 0;
  }

  /** Current heap size in bytes. */
  get heapSize(): number {
    return this.#state.heapSize;
  }

  /** Words on the stack. */
  get stackDepth(): number {
    return this.#state.stackDepth;
  }

  /** The program being run. */
  get program(): Program {
    return this.#program;
  }

  /** A live view of the heap's current bytes. */
  heapBytes(): Uint8Array {
    return this.#state.heap.subarray(0, this.#state.heapSize);
  }

  /** The stack's words, bottom first (a copy). */
  stackWords(): Int32Array {
    return this.#state.stack.slice(0, this.#state.stackDepth);
  }

  /**
   * Everything a run can show, as plain data (floats as strings so -0 and NaN compare exactly): what the
   * differential tests and the fuzzer compare between the two tiers.
   */
  snapshot(): MachineSnapshot {
    return {
      pc: this.pc,
      registers: [...this.registers],
      floats: describeFloats(this.floats),
      equalFlag: this.equalFlag,
      remainder: this.remainder,
      loopCounter: this.loopCounter,
      heap: [...this.heapBytes()],
      stack: [...this.stackWords()],
    };
  }

  /** Replaces code and read-only data; registers, pc, heap and stack stay (the REPL appends code). */
  setProgram(program: Program): void {
    this.#program = program;
    loadProgram(this.#state, program, this.#superinstructions);
    this.#stopped = undefined;
    this.executor.programChanged(this.#state);
  }

  /**
   * setProgram() for a program whose code starts with the current code (the REPL appends a line): only
   * the new instructions are decoded, so appending N lines costs O(N) (src/vm/append_program.ts).
   */
  extendProgram(program: Program): void {
    this.#program = program;
    if (!appendProgram(this.#state, program, this.#superinstructions)) {
      loadProgram(this.#state, program, this.#superinstructions);
    }
    this.#stopped = undefined;
    this.executor.programChanged(this.#state);
  }

  /** Registers, floats, flags, heap (back to 64 zero bytes), stack; pc back to the entry point. */
  reset(): void {
    this.#state.clear();
    this.#state.pc = this.#program.entry;
    this.#stopped = undefined;
  }

  /** A copy of the state a waiting process needs to go on elsewhere (see restore()). */
  save(): SavedMachine {
    const s = this.#state;
    return {
      registers: s.registers.slice(),
      floats: s.floats.slice(),
      pc: s.pc,
      equalFlag: s.equalFlag,
      remainder: s.remainder,
      loopCounter: s.loopCounter,
      heap: s.heap.slice(0, s.heapSize),
      stack: s.stack.slice(0, s.stackDepth),
      waitDeadline: s.waitDeadline,
    };
  }

  /** Puts back a state from save(), on a machine made for the same program. */
  restore(saved: SavedMachine): void {
    const s = this.#state;
    s.registers.set(saved.registers);
    s.floats.set(saved.floats);
    s.pc = saved.pc;
    s.equalFlag = saved.equalFlag;
    s.remainder = saved.remainder;
    s.loopCounter = saved.loopCounter;
    s.heap = new Uint8Array(Math.max(saved.heap.length, 64));
    s.heap.set(saved.heap);
    s.heapSize = saved.heap.length;
    s.stack = new Int32Array(Math.max(16, saved.stack.length));
    s.stack.set(saved.stack);
    s.stackDepth = saved.stack.length;
    s.waitDeadline = saved.waitDeadline;
    this.#stopped = undefined;
  }

  /** Zeroes the integer and float registers. */
  clearRegisters(): void {
    this.#state.registers.fill(0);
    this.#state.floats.fill(0);
  }

  /** Asks the current or next run() to return "interrupted" (checked every few thousand instructions). */
  interrupt(): void {
    this.#state.interruptRequested = true;
  }

  /** Withdraws an interrupt() that no run() has seen yet (it came as the program ended by itself). */
  cancelInterrupt(): void {
    this.#state.interruptRequested = false;
  }

  /**
   * Executes at most `budget` instructions. After "halted" or "faulted", further calls return the same
   * result with `executed: 0` until reset(), setProgram() or a pc change. Never throws for anything the
   * program does (an exception from the output callback passes through).
   */
  run(budget: number): RunResult {
    if (this.#stopped) return { ...this.#stopped, executed: 0 };
    const state = this.#state;
    if (!isJumpTarget(state.pc, state.codeLength)) {
      return this.#stop({ status: "faulted", fault: this.#fault("jump outside the code"), executed: 0 });
    }
    const stop = this.executor.execute(state, Math.max(0, Math.floor(budget)));
    const status = STATUS[stop];
    if (stop === Stop.Interrupted) state.interruptRequested = false;
    if (stop === Stop.Faulted) {
      return this.#stop({ status, fault: this.#fault(state.faultKind), executed: state.executed });
    }
    if (stop === Stop.Halted) return this.#stop({ status, executed: state.executed });
    if (stop === Stop.Waiting) {
      const wakeAt = state.waitDeadline < 0 ? undefined : state.waitDeadline;
      return { status, executed: state.executed, wakeAt, waitsForMessage: state.waitsForMessage };
    }
    return { status, executed: state.executed };
  }

  #fault(kind: Fault["kind"]): Fault {
    return createFault(kind, this.#program.code, this.#state.pc);
  }

  #stop(result: RunResult): RunResult {
    this.#stopped = result;
    return result;
  }
}

/**
 * Puts `program`'s code (pre-decoded, and packed for the interpreter, with superinstructions or without)
 * and read-only data into `state`; nothing else of the state changes.
 */
export function loadProgram(state: VmState, program: Program, superinstructions: boolean): void {
  state.decoded = predecodeCode(program.code);
  state.code = superinstructions ? fuseInstructions(state.decoded) : packCode(state.decoded);
  state.codeLength = program.code.length;
  state.usesFloats = namesFloatRegister(state.decoded);
  state.rodata = program.rodata;
  state.rodataView = new DataView(
    program.rodata.buffer,
    program.rodata.byteOffset,
    program.rodata.byteLength,
  );
}
