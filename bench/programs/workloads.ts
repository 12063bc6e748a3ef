/** Guest programs the interpreter benchmark runs, built without the assembler. */
import type { Program } from "../../src/bytecode/program.ts";
import { program } from "../../tests/vm/_program.ts";

/** Counts $0 up to `n` (at most 2^31 - 1): 3 instructions per iteration (inc, lt, jmpe). */
export function countingLoop(n: number): Program {
  return program([
    ["load", 1, n >>> 16],
    ["lui", 1, n & 0xffff],
    ["load", 2, 16],
    ["load", 0, 0],
    "top:", // 16
    ["inc", 0],
    ["lt", 0, 1],
    ["jmpe", 2],
    ["hlt"],
  ]);
}

/** Recursive fib(n) into $1 with call/ret/push/pop; $3 stays 0 to copy registers with add. */
export function fibonacci(n: number): Program {
  return program([
    ["load", 0, n],
    ["call", "@fib"],
    ["hlt"],
    "fib:", // fib($0) -> $1; clobbers $0 and $2
    ["load", 2, 2],
    ["lt", 0, 2],
    ["djmpe", "@base"],
    ["push", 0],
    ["dec", 0],
    ["call", "@fib"],
    ["pop", 0],
    ["push", 1],
    ["dec", 0],
    ["dec", 0],
    ["call", "@fib"],
    ["pop", 2],
    ["add", 1, 2, 1],
    ["ret"],
    "base:",
    ["add", 0, 3, 1],
    ["ret"],
  ]);
}
