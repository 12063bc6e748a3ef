/**
 * The one dispatch loop: it runs pre-decoded code packed one word per instruction
 * (src/vm/predecode.ts `packCode`) with the hot state in locals, allocates nothing per instruction and
 * traces nothing. Faults are values: the loop records the kind, puts `pc` back on the faulting instruction
 * and returns.
 *
 * Its speed comes from one word per instruction taken apart by shifts, dense opcode values, the flag as 0
 * or 1, the rarely used remainder and loop counter left in `s`, and `| 0` on every integer V8 would
 * otherwise check for overflow; `bash bench/instructions.sh FILE --tier interpreter` measures a change.
 */
import { BAD_NAME, NO_MAILBOX, runProcessInstruction, WAIT } from "./process_ops.ts";
import { formatFloat, growHeap, growStack, readString, Stop, type VmState } from "./state.ts";

/**
 * Opcode bytes as the loop dispatches on them, declared beside the switch: measured on Deno 2.9.6, a
 * same-file `const enum` (inlined to numeric literals) runs about 2x faster than an imported enum. A test
 * compares it with OPCODES through OP_VALUES. Values after the last opcode are pseudo-instructions that
 * the pre-decoder and src/vm/superinstructions.ts write, never bytes of a file (the pre-decoder writes
 * only the bytes of known opcodes). They follow the opcodes without a gap: with values from 256 on, V8
 * compiled the switch into a binary search instead of a jump table.
 */
// deno-fmt-ignore
const enum Op {
  Load = 0, Add = 1, Sub = 2, Mul = 3, Div = 4, Hlt = 5,
  Jmp = 6, Jmpf = 7, Jmpb = 8, Eq = 9, Neq = 10, Gte = 11,
  Lte = 12, Lt = 13, Gt = 14, Jmpe = 15, Nop = 16, Aloc = 17,
  Inc = 18, Dec = 19, Djmpe = 20, Prts = 21, Loadf64 = 22, Addf64 = 23,
  Subf64 = 24, Mulf64 = 25, Divf64 = 26, Eqf64 = 27, Neqf64 = 28, Gtf64 = 29,
  Gtef64 = 30, Ltf64 = 31, Ltef64 = 32, Shl = 33, Shr = 34, And = 35,
  Or = 36, Xor = 37, Not = 38, Lui = 39, Cloop = 40, Loop = 41,
  Loadm = 42, Setm = 43, Push = 44, Pop = 45, Call = 46, Ret = 47,
  Ldi = 48, Ldf64 = 49, Prti = 50, Prtf64 = 51, Djmp = 52, Mov = 53,
  Movf64 = 54, Itof = 55, Ftoi = 56, Shru = 57, Rem = 58, Self = 59,
  Send = 60, Recv = 61, Recvt = 62, Sleep = 63, Clock = 64, Whereis = 65,
  /** An unknown opcode byte, or a last instruction cut short by the end of the code. */
  Illegal = 66,
  /** A known opcode with a register operand of 32 or more. */
  BadRegister = 67,
  /** The sentinel after the last instruction: pc reached the end of the code. */
  End = 68,
  /** Superinstruction: `inc` or `dec`, a compare, then `jmpe`: a counting loop's step, test, branch. */
  StepCmpJmpe = 69,
  /** `inc` or `dec`, a compare, then `djmpe`. */
  StepCmpDjmpe = 70,
}

/** Every `Op` member and its value, for the pre-decoder and for the test against OPCODES. */
// deno-fmt-ignore
export const OP_VALUES = {
  Load: Op.Load, Add: Op.Add, Sub: Op.Sub, Mul: Op.Mul, Div: Op.Div, Hlt: Op.Hlt,
  Jmp: Op.Jmp, Jmpf: Op.Jmpf, Jmpb: Op.Jmpb, Eq: Op.Eq, Neq: Op.Neq, Gte: Op.Gte,
  Lte: Op.Lte, Lt: Op.Lt, Gt: Op.Gt, Jmpe: Op.Jmpe, Nop: Op.Nop, Aloc: Op.Aloc,
  Inc: Op.Inc, Dec: Op.Dec, Djmpe: Op.Djmpe, Prts: Op.Prts, Loadf64: Op.Loadf64, Addf64: Op.Addf64,
  Subf64: Op.Subf64, Mulf64: Op.Mulf64, Divf64: Op.Divf64, Eqf64: Op.Eqf64, Neqf64: Op.Neqf64, Gtf64: Op.Gtf64,
  Gtef64: Op.Gtef64, Ltf64: Op.Ltf64, Ltef64: Op.Ltef64, Shl: Op.Shl, Shr: Op.Shr, And: Op.And,
  Or: Op.Or, Xor: Op.Xor, Not: Op.Not, Lui: Op.Lui, Cloop: Op.Cloop, Loop: Op.Loop,
  Loadm: Op.Loadm, Setm: Op.Setm, Push: Op.Push, Pop: Op.Pop, Call: Op.Call, Ret: Op.Ret,
  Ldi: Op.Ldi, Ldf64: Op.Ldf64, Prti: Op.Prti, Prtf64: Op.Prtf64, Djmp: Op.Djmp, Mov: Op.Mov,
  Movf64: Op.Movf64, Itof: Op.Itof, Ftoi: Op.Ftoi, Shru: Op.Shru, Rem: Op.Rem, Self: Op.Self,
  Send: Op.Send, Recv: Op.Recv, Recvt: Op.Recvt, Sleep: Op.Sleep, Clock: Op.Clock, Whereis: Op.Whereis,
  Illegal: Op.Illegal, BadRegister: Op.BadRegister, End: Op.End, StepCmpJmpe: Op.StepCmpJmpe,
  StepCmpDjmpe: Op.StepCmpDjmpe,
} as const satisfies Record<keyof typeof Op, number>;

/** Instructions between two looks at the interrupt flags ("every few thousand", the Machine contract). */
const CHECK_INTERVAL = 4096;

/**
 * The register files the loop works on, shared by every machine on this thread: module constants are
 * constants to V8's optimizing compiler, so a register access carries no check of the array's map and
 * length. This is safe for many sessions on one thread because a run copies its machine's registers in
 * before and out after (the floats only for a program that names one) and never yields in between; a run
 * started from inside another (an output callback) sets the outer run's registers aside (`running`).
 */
const REGISTERS = new Int32Array(32), FLOATS = new Float64Array(32);

/** True while a run is in the loop; a run started from inside it (an output callback) must not clobber REGISTERS. */
let running = false;

/**
 * Runs at most `budget` instructions of `s`, returns why it stopped and leaves the count in `s.executed`
 * (a faulting instruction does not count; `hlt` does). Jump targets are valid when aligned and in
 * [0, code length]; the code length itself is the end of the code.
 */
export function interpret(s: VmState, budget: number): Stop {
  if (running) return interpretNested(s, budget);
  running = true;
  // The floats only for a program that names them: a hand-over from the fast tier is often one
  // instruction, and the copies would cost more than it does.
  const floats = s.usesFloats;
  REGISTERS.set(s.registers);
  if (floats) FLOATS.set(s.floats);
  try {
    return dispatch(s, budget);
  } finally {
    // Also when an output callback throws: the state's registers then hold what ran, as before.
    s.registers.set(REGISTERS);
    if (floats) s.floats.set(FLOATS);
    running = false;
  }
}

/** interpret() from inside another run: that run's registers are kept aside meanwhile. */
function interpretNested(s: VmState, budget: number): Stop {
  const registers = REGISTERS.slice(), floats = FLOATS.slice();
  running = false;
  try {
    return interpret(s, budget);
  } finally {
    REGISTERS.set(registers);
    FLOATS.set(floats);
    running = true;
  }
}

/** interpret()'s loop, on REGISTERS and FLOATS. */
function dispatch(s: VmState, budget: number): Stop {
  const code = s.code, codeLength = s.codeLength, r = REGISTERS, f = FLOATS;
  const rodata = s.rodata, rodataView = s.rodataView, output = s.output, interruptFlag = s.interruptFlag;
  const heapLimit = s.heapLimit, stackLimit = s.stackLimit;
  let pc = s.pc | 0, flag = s.equalFlag ? 1 : 0;
  let heap = s.heap, heapSize = s.heapSize | 0, stack = s.stack, depth = s.stackDepth | 0;
  let executed = 0, slice = 0, left = 0, at = 0, w = 0, t = 0, a = 0, b = 0;
  // Every `break run` below is a fault unless it says otherwise first.
  let stop = Stop.Faulted;

  run: for (;;) {
    executed += slice - left;
    slice = left = 0;
    if (s.interruptRequested || (interruptFlag !== undefined && Atomics.load(interruptFlag, 0) !== 0)) {
      stop = Stop.Interrupted;
      break;
    }
    if (executed >= budget) {
      stop = Stop.Budget;
      break;
    }
    // `| 0` keeps the countdown a small integer even when the budget is a huge double; without it V8
    // reoptimizes the loop with double arithmetic.
    slice = left = (budget - executed < CHECK_INTERVAL ? budget - executed : CHECK_INTERVAL) | 0;
    while (left !== 0) {
      left = (left - 1) | 0;
      at = pc;
      pc = (at + 4) | 0;
      w = code[at];
      switch (w & 255) {
        case Op.Load:
          r[(w >>> 8) & 255] = w >>> 16;
          break;
        case Op.Add:
          r[w >>> 24] = r[(w >>> 8) & 255] + r[(w >>> 16) & 255];
          break;
        case Op.Sub:
          r[w >>> 24] = r[(w >>> 8) & 255] - r[(w >>> 16) & 255];
          break;
        case Op.Mul:
          r[w >>> 24] = Math.imul(r[(w >>> 8) & 255], r[(w >>> 16) & 255]);
          break;
        case Op.Div: {
          const a = r[(w >>> 8) & 255], b = r[(w >>> 16) & 255];
          if (b === 0) {
            s.faultKind = "division by zero";
            break run;
          }
          // Exact for 32-bit operands; `| 0` truncates toward zero and wraps MIN / -1 to MIN.
          r[w >>> 24] = (a / b) | 0;
          s.remainder = (a % b) | 0;
          break;
        }
        case Op.Hlt:
          stop = Stop.Halted;
          break run;
        case Op.Jmp:
          t = r[(w >>> 8) & 255];
          if (t < 0 || t > codeLength || (t & 3) !== 0) {
            s.faultKind = "jump outside the code";
            break run;
          }
          pc = t;
          break;
        case Op.Jmpf:
          t = pc + r[(w >>> 8) & 255];
          if (t < 0 || t > codeLength || (t & 3) !== 0) {
            s.faultKind = "jump outside the code";
            break run;
          }
          pc = t;
          break;
        case Op.Jmpb:
          t = pc - r[(w >>> 8) & 255];
          if (t < 0 || t > codeLength || (t & 3) !== 0) {
            s.faultKind = "jump outside the code";
            break run;
          }
          pc = t;
          break;
        case Op.Eq:
          flag = r[(w >>> 8) & 255] === r[(w >>> 16) & 255] ? 1 : 0;
          break;
        case Op.Neq:
          flag = r[(w >>> 8) & 255] !== r[(w >>> 16) & 255] ? 1 : 0;
          break;
        case Op.Gte:
          flag = r[(w >>> 8) & 255] >= r[(w >>> 16) & 255] ? 1 : 0;
          break;
        case Op.Lte:
          flag = r[(w >>> 8) & 255] <= r[(w >>> 16) & 255] ? 1 : 0;
          break;
        case Op.Lt:
          flag = r[(w >>> 8) & 255] < r[(w >>> 16) & 255] ? 1 : 0;
          break;
        case Op.Gt:
          flag = r[(w >>> 8) & 255] > r[(w >>> 16) & 255] ? 1 : 0;
          break;
        case Op.Jmpe:
          if (flag !== 0) {
            t = r[(w >>> 8) & 255];
            if (t < 0 || t > codeLength || (t & 3) !== 0) {
              s.faultKind = "jump outside the code";
              break run;
            }
            pc = t;
          }
          break;
        case Op.Nop:
          break;
        case Op.Aloc: {
          const grow = r[(w >>> 8) & 255];
          if (grow < 0) {
            s.faultKind = "heap access out of range";
            break run;
          }
          if (heapSize + grow > heapLimit) {
            s.faultKind = "heap limit exceeded";
            break run;
          }
          heapSize += grow;
          if (heapSize > heap.length) heap = growHeap(s, heapSize);
          break;
        }
        case Op.Inc:
          r[(w >>> 8) & 255]++;
          break;
        case Op.Dec:
          r[(w >>> 8) & 255]--;
          break;
        case Op.Djmpe:
          if (flag !== 0) {
            t = w >> 8; // the pre-decoder stores -1 for a target outside the code
            if (t < 0) {
              s.faultKind = "jump outside the code";
              break run;
            }
            pc = t;
          }
          break;
        case Op.Prts: {
          const text = readString(rodata, w >>> 8);
          if (text === undefined) {
            s.faultKind = "read-only access out of range";
            break run;
          }
          output(text);
          break;
        }
        case Op.Loadf64:
          f[(w >>> 8) & 255] = w >>> 16;
          break;
        case Op.Addf64:
          f[w >>> 24] = f[(w >>> 8) & 255] + f[(w >>> 16) & 255];
          break;
        case Op.Subf64:
          f[w >>> 24] = f[(w >>> 8) & 255] - f[(w >>> 16) & 255];
          break;
        case Op.Mulf64:
          f[w >>> 24] = f[(w >>> 8) & 255] * f[(w >>> 16) & 255];
          break;
        case Op.Divf64:
          f[w >>> 24] = f[(w >>> 8) & 255] / f[(w >>> 16) & 255];
          break;
        case Op.Eqf64:
          flag = f[(w >>> 8) & 255] === f[(w >>> 16) & 255] ? 1 : 0;
          break;
        case Op.Neqf64:
          flag = f[(w >>> 8) & 255] !== f[(w >>> 16) & 255] ? 1 : 0;
          break;
        case Op.Gtf64:
          flag = f[(w >>> 8) & 255] > f[(w >>> 16) & 255] ? 1 : 0;
          break;
        case Op.Gtef64:
          flag = f[(w >>> 8) & 255] >= f[(w >>> 16) & 255] ? 1 : 0;
          break;
        case Op.Ltf64:
          flag = f[(w >>> 8) & 255] < f[(w >>> 16) & 255] ? 1 : 0;
          break;
        case Op.Ltef64:
          flag = f[(w >>> 8) & 255] <= f[(w >>> 16) & 255] ? 1 : 0;
          break;
        case Op.Shl:
          r[(w >>> 8) & 255] <<= w >>> 16;
          break;
        case Op.Shr:
          r[(w >>> 8) & 255] >>= w >>> 16;
          break;
        case Op.And:
          r[w >>> 24] = r[(w >>> 8) & 255] & r[(w >>> 16) & 255];
          break;
        case Op.Or:
          r[w >>> 24] = r[(w >>> 8) & 255] | r[(w >>> 16) & 255];
          break;
        case Op.Xor:
          r[w >>> 24] = r[(w >>> 8) & 255] ^ r[(w >>> 16) & 255];
          break;
        case Op.Not:
          r[(w >>> 16) & 255] = ~r[(w >>> 8) & 255];
          break;
        case Op.Lui:
          t = (w >>> 8) & 255;
          r[t] = (r[t] << 16) | (w >>> 16);
          break;
        case Op.Cloop:
          s.loopCounter = w >>> 8;
          break;
        case Op.Loop:
          if (s.loopCounter !== 0) {
            t = w >> 8;
            if (t < 0) {
              s.faultKind = "jump outside the code";
              break run;
            }
            s.loopCounter--;
            pc = t;
          }
          break;
        case Op.Loadm:
          t = r[(w >>> 8) & 255];
          if (t < 0 || t + 4 > heapSize) {
            s.faultKind = "heap access out of range";
            break run;
          }
          r[(w >>> 16) & 255] = heap[t] | (heap[t + 1] << 8) | (heap[t + 2] << 16) | (heap[t + 3] << 24);
          break;
        case Op.Setm: {
          t = r[(w >>> 8) & 255];
          if (t < 0 || t + 4 > heapSize) {
            s.faultKind = "heap access out of range";
            break run;
          }
          const value = r[(w >>> 16) & 255];
          heap[t] = value;
          heap[t + 1] = value >> 8;
          heap[t + 2] = value >> 16;
          heap[t + 3] = value >> 24;
          break;
        }
        case Op.Push:
          if (depth === stack.length) {
            if (depth >= stackLimit) {
              s.faultKind = "stack overflow";
              break run;
            }
            stack = growStack(stack, stackLimit);
          }
          stack[depth++] = r[(w >>> 8) & 255];
          break;
        case Op.Pop:
          if (depth === 0) {
            s.faultKind = "empty stack";
            break run;
          }
          r[(w >>> 8) & 255] = stack[--depth];
          break;
        case Op.Call:
          t = w >> 8;
          if (t < 0) {
            s.faultKind = "jump outside the code";
            break run;
          }
          if (depth === stack.length) {
            if (depth >= stackLimit) {
              s.faultKind = "stack overflow";
              break run;
            }
            stack = growStack(stack, stackLimit);
          }
          stack[depth++] = pc;
          pc = t;
          break;
        case Op.Ret:
          if (depth === 0) {
            s.faultKind = "empty stack";
            break run;
          }
          t = stack[depth - 1];
          if (t < 0 || t > codeLength || (t & 3) !== 0) {
            s.faultKind = "jump outside the code";
            break run;
          }
          depth--;
          pc = t;
          break;
        case Op.Ldi:
          t = w >>> 16;
          if (t + 4 > rodata.length) {
            s.faultKind = "read-only access out of range";
            break run;
          }
          r[(w >>> 8) & 255] = rodataView.getInt32(t, true);
          break;
        case Op.Ldf64:
          t = w >>> 16;
          if (t + 8 > rodata.length) {
            s.faultKind = "read-only access out of range";
            break run;
          }
          f[(w >>> 8) & 255] = rodataView.getFloat64(t, true);
          break;
        case Op.Prti:
          output(`${r[(w >>> 8) & 255]}\n`);
          break;
        case Op.Prtf64:
          output(`${formatFloat(f[(w >>> 8) & 255])}\n`);
          break;
        case Op.Djmp:
          t = w >> 8;
          if (t < 0) {
            s.faultKind = "jump outside the code";
            break run;
          }
          pc = t;
          break;
        case Op.Mov:
          r[(w >>> 16) & 255] = r[(w >>> 8) & 255];
          break;
        case Op.Movf64:
          // A Float64Array element copied to another keeps its bits, NaN payloads included.
          f[(w >>> 16) & 255] = f[(w >>> 8) & 255];
          break;
        case Op.Itof:
          f[(w >>> 16) & 255] = r[(w >>> 8) & 255];
          break;
        case Op.Ftoi: {
          const x = f[(w >>> 8) & 255];
          // The doubles that truncate into i32 are exactly those strictly between these two; NaN is not.
          if (!(x > -2147483649 && x < 2147483648)) {
            s.faultKind = "float to integer out of range";
            break run;
          }
          r[(w >>> 16) & 255] = x | 0;
          break;
        }
        case Op.Shru:
          r[(w >>> 8) & 255] >>>= w >>> 16;
          break;
        case Op.Rem:
          b = r[(w >>> 16) & 255];
          if (b === 0) {
            s.faultKind = "division by zero";
            break run;
          }
          r[w >>> 24] = r[(w >>> 8) & 255] % b;
          break;
        // Processes, messages and time: rare next to arithmetic, so out of the loop (src/vm/process_ops.ts).
        case Op.Self:
        case Op.Send:
        case Op.Recv:
        case Op.Recvt:
        case Op.Sleep:
        case Op.Clock:
        case Op.Whereis:
          t = runProcessInstruction(s, w, r, flag);
          if (t >= 0) {
            flag = t;
            break;
          }
          if (t === WAIT) stop = Stop.Waiting;
          else {s.faultKind = t === NO_MAILBOX
              ? "no mailbox"
              : t === BAD_NAME
              ? "read-only access out of range"
              : "illegal opcode";}
          break run;
        // Superinstructions (src/vm/superinstructions.ts has the layout of their words). The compare's
        // outcome (1: a < b, 2: a == b, 4: a > b) against its mask sets the flag. When the budget ends inside a sequence, the
        // part that ran is counted and pc goes to the next instruction, which then runs by itself. Two cases
        // that differ only in the branch keep the dispatch free of a test of which branch it is; the step
        // branches on the `dec` bit, which the processor predicts; the budget test subtracts first and undoes
        // it on a short budget, so V8 folds it into the loop's own countdown (bench/instructions.sh).
        case Op.StepCmpJmpe:
          t = (w >>> 8) & 31;
          if ((w & 0x2000) === 0) r[t]++;
          else r[t]--;
          left = (left - 2) | 0;
          if (left < 0) {
            left = (left + 2) | 0;
            break;
          }
          a = r[(w >>> 14) & 31];
          b = r[(w >>> 19) & 31];
          flag = (a < b ? 1 : a === b ? 2 : 4) & (w >>> 24);
          if (flag !== 0) {
            t = r[w >>> 27];
            // A loop back to this very instruction is the common case: `pc = at` keeps the next
            // dispatch independent of the register load.
            if (t === at) {
              pc = at;
              break;
            }
            if (t < 0 || t > codeLength || (t & 3) !== 0) {
              at += 8;
              s.faultKind = "jump outside the code";
              break run;
            }
            pc = t;
          } else pc = at + 12;
          break;
        case Op.StepCmpDjmpe:
          t = (w >>> 8) & 31;
          if ((w & 0x2000) === 0) r[t]++;
          else r[t]--;
          left = (left - 2) | 0;
          if (left < 0) {
            left = (left + 2) | 0;
            break;
          }
          a = r[(w >>> 14) & 31];
          b = r[(w >>> 19) & 31];
          flag = (a < b ? 1 : a === b ? 2 : 4) & (w >>> 24);
          if (flag !== 0) {
            t = code[at + 8] >> 8; // the djmpe's own word: its target, -1 when outside the code
            if (t < 0) {
              at += 8;
              s.faultKind = "jump outside the code";
              break run;
            }
            pc = t;
          } else pc = at + 12;
          break;
        case Op.End:
          if (s.pauseAtEnd) stop = Stop.Ended;
          else s.faultKind = "no hlt";
          break run;
        case Op.BadRegister:
          s.faultKind = "register out of range";
          break run;
        default:
          s.faultKind = "illegal opcode";
          break run;
      }
    }
  }

  if (stop === Stop.Faulted || stop === Stop.Ended || stop === Stop.Waiting) {
    // The instruction at `at` did not run (or is the end sentinel, or waits and runs again when the
    // process resumes): it is not counted and pc stays on it.
    pc = at;
    left++;
  }
  s.executed = executed + slice - left;
  s.pc = pc;
  s.equalFlag = flag !== 0;
  s.heap = heap;
  s.heapSize = heapSize;
  s.stack = stack;
  s.stackDepth = depth;
  return stop;
}
