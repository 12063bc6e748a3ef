/** Guest programs the interpreter benchmark runs, built without the assembler. */
import type { Program } from "../../src/bytecode/program.ts";
import { type Line, program } from "../../tests/vm/_program.ts";

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

/**
 * A counting loop of `iterations` (with a division in it); a block of 70 instructions, too long to inline,
 * so that the loop's case continues into it by falling through or by the dispatch; a chain of `cold`
 * blocks; `hlt`.
 */
export function loopThenChain(iterations: number, cold: number): Program {
  const lines: (Line | string)[] = [
    ["load", 4, iterations >>> 16],
    ["lui", 4, iterations & 0xffff],
    ["load", 6, 3],
    "top:",
    ["inc", 3],
    ["div", 3, 6, 7],
    ["lt", 3, 4],
    ["djmpe", "@top"],
    ...Array.from({ length: 68 }, (): Line => ["inc", 5]),
    ["eq", 0, 0], // the flag stays set along the chain: every djmpe below is taken
    ["djmpe", "@c0"],
  ];
  for (let i = 0; i < cold; i++) lines.push(`c${i}:`, ["add", 5, 7, 7], ["inc", 5], ["djmpe", `@c${i + 1}`]);
  lines.push(`c${cold}:`, ["prti", 7], ["hlt"]);
  return program(lines);
}

/**
 * `count` blocks in one cycle (block i continues at block i + 7), each adding and counting $3 up to
 * `iterations`; then the rest of the blocks in a row, and `hlt`.
 */
export function hotEverywhere(count: number, iterations = 0x7fffffff): Program {
  const lines: (Line | string)[] = [["load", 4, iterations >>> 16], ["lui", 4, iterations & 0xffff]];
  for (let i = 0; i < count; i++) {
    lines.push(`b${i}:`, ["add", i % 8, 1, 2], ["inc", 3], ["lt", 3, 4], ["djmpe", `@b${(i + 7) % count}`]);
  }
  lines.push(["hlt"]);
  return program(lines);
}
