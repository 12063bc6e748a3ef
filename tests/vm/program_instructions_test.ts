/**
 * The instructions for real programs (`djmp`, `mov`, `movf64`, `itof`, `ftoi`, `shru`, `rem`) and
 * `load $r @label`, as conformance programs: assembly text, its expected output or fault, run on every
 * tier (the plain interpreter, the interpreter with superinstructions, the fast tier with WebAssembly
 * and with JavaScript only), each of which must compile where it is a compiler and print exactly the
 * expectation; then tests/vm/_tiers.ts compares the tiers step by step, floats bit for bit.
 *
 * Mutations each was checked against (every one makes a test here fail):
 * - interpreter: `ftoi` range test `>= -2147483649` (accepts -2147483649), `rem` as `Math.abs(a) % b`,
 *   `shru` as `>>=`, `movf64` through a number array, `djmp` ignoring its -1 target;
 * - JavaScript back end: `rem` without the zero check, `ftoi` as `Math.round`, `shru` without `| 0`,
 *   `mov` the wrong way round, `movf64` as `+ 0`, `ldf64` constants kept in an array of numbers (which
 *   quiets a signalling NaN);
 * - WebAssembly back end: `rem` as `i32.div_u`, `ftoi` without the range check (traps), `itof` as
 *   `f64.convert_i32_u`, `shru` as `i32.shr_s`, `movf64` as `+ 0`, `djmp` falling through;
 * - assembler: `load $r @label` giving the label's address + 4, or taking only code labels.
 */
import { assemble } from "../../src/asm/assembler.ts";
import type { Program } from "../../src/bytecode/program.ts";
import { CompilingExecutor } from "../../src/vm/fast/compiling_executor.ts";
import { createMachine } from "../../src/vm/fast/select.ts";
import { Machine } from "../../src/vm/machine.ts";
import { assert, assertEquals } from "../assert.ts";
import { program } from "./_program.ts";
import { compareTiers, DEFAULT_LIMITS } from "./_tiers.ts";

const TIERS = ["interpreter", "superinstructions", "wasm", "javascript"] as const;
type TierName = typeof TIERS[number];

interface Expectation {
  /** Everything the program prints. */
  output: string;
  /** The fault message, when the program must fault. */
  fault?: string;
  /** Further checks of the stopped machine. */
  check?: (machine: Machine, tier: TierName) => void;
}

function assembled(source: string): Program {
  const result = assemble(source);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return { code: result.code, rodata: result.rodata, entry: result.entry };
}

/** A machine of `tier` for `p`, its output collected. */
function machineOn(tier: TierName, p: Program, output: (text: string) => void): Machine {
  const options = { ...DEFAULT_LIMITS, output };
  if (tier === "interpreter") return new Machine(p, { ...options, superinstructions: false });
  if (tier === "superinstructions") return new Machine(p, options);
  return createMachine(p, { ...options, compileAfter: 0, tier: tier === "wasm" ? "auto" : "javascript" });
}

/** Runs `p` to its end on every tier and checks `expected` on each, then compares the tiers in slices. */
function expectOnEveryTier(name: string, p: Program, expected: Expectation): void {
  for (const tier of TIERS) {
    let output = "";
    const machine = machineOn(tier, p, (text) => output += text);
    const result = machine.run(100_000);
    const where = `${name} on the ${tier} tier`;
    if (tier === "wasm" || tier === "javascript") {
      const executor = machine.executor;
      assert(executor instanceof CompilingExecutor, `${where}: no compiling executor`);
      assertEquals(executor.backend, tier, `${where}: compiled by`);
    }
    assertEquals(output, expected.output, `${where}: output`);
    assertEquals(result.status, expected.fault ? "faulted" : "halted", `${where}: status`);
    assertEquals(result.fault?.message, expected.fault, `${where}: fault`);
    expected.check?.(machine, tier);
  }
  for (const slices of [[1], [2, 3], [100_000]]) {
    compareTiers({ program: p, limits: DEFAULT_LIMITS, slices, total: 100_000 }, `${name}, slices ${slices}`);
  }
}

/** `expectOnEveryTier` for assembly source. */
function expectSource(name: string, source: string, expected: Expectation): void {
  expectOnEveryTier(name, assembled(source), expected);
}

/** The float register's bits, read without passing the value through a number. */
function floatBits(machine: Machine, register: number): bigint {
  return new BigUint64Array(machine.floats.buffer, machine.floats.byteOffset, 32)[register];
}

Deno.test("djmp jumps forward and backward, and leaves the flag as it was", () => {
  expectSource(
    "djmp",
    `
        load $0 #0
        load $1 #3
        djmp @test          ; forward, over the first round of the body
body:   prti $0
        inc $0
test:   lt $0 $1
        djmpe @body
        load $2 #0
again:  inc $2              ; a loop closed by djmp, left by djmpe
        eq $2 $1
        djmpe @out
        djmp @again
out:    prti $2
        lt $1 $0            ; false
        djmp @over
        prti $31
over:   djmpe @wrong        ; djmp left the flag false
        gte $1 $0           ; true
        djmp @last
wrong:  prti $31
last:   djmpe @end          ; and true
        prti $31
end:    hlt
`,
    { output: "0\n1\n2\n3\n" },
  );
});

Deno.test("djmp to an address outside the code (unverified code) faults at the djmp", () => {
  for (const target of [2, 20, 0xfffc]) {
    const p = program([["djmp", target], ["hlt"]]);
    expectOnEveryTier(`djmp ${target}`, p, {
      output: "",
      fault: `fault: jump outside the code at 0x0000 (djmp @0x${target.toString(16).padStart(4, "0")})`,
    });
  }
});

Deno.test("mov copies an integer register, its source unchanged, and onto itself", () => {
  expectSource(
    "mov",
    `
        load $0 #-5
        mov $0 $1
        prti $1
        prti $0
        mov $1 $1
        prti $1
        load $2 #2147483647
        mov $2 $0
        prti $0
        hlt
`,
    { output: "-5\n-5\n-5\n2147483647\n" },
  );
});

Deno.test("movf64 copies -0 as -0, where an addf64 of zero gives 0", () => {
  expectSource(
    "movf64 -0",
    `
.data
negative_zero: .float #-0.0
.code
        ldf64 $0 @negative_zero
        movf64 $0 $1
        prtf64 $1
        addf64 $0 $9 $2     ; -0 + 0 is 0: why a move needs its own instruction
        prtf64 $2
        hlt
`,
    { output: "-0\n0\n" },
  );
});

Deno.test("movf64 keeps NaN payloads bit for bit, signalling ones included", () => {
  // Two NaNs as 32-bit halves, low word first: 0x7ff0000000000001 (signalling) and 0xfff80000deadbeef.
  const source = `
.data
signalling:      .integer #1
signalling_high: .integer #0x7FF00000
payload:         .integer #0xDEADBEEF
payload_high:    .integer #0xFFF80000
.code
        ldf64 $0 @signalling
        ldf64 $1 @payload
        load $5 #0
        load $6 #3
copy:   movf64 $0 $2        ; in a loop, so that the compiled code runs it more than once
        movf64 $1 $3
        movf64 $2 $4
        inc $5
        lt $5 $6
        djmpe @copy
        prtf64 $4
        hlt
`;
  expectSource("movf64 NaN", source, {
    output: "NaN\n",
    check: (machine, tier) => {
      assertEquals(floatBits(machine, 2), 0x7ff0000000000001n, `${tier}: $2`);
      assertEquals(floatBits(machine, 3), 0xfff80000deadbeefn, `${tier}: $3`);
      assertEquals(floatBits(machine, 4), 0x7ff0000000000001n, `${tier}: $4`);
    },
  });
});

Deno.test("itof converts every i32 exactly", () => {
  expectSource(
    "itof",
    `
        load $0 #-2147483648
        itof $0 $0
        prtf64 $0
        load $1 #2147483647
        itof $1 $1
        prtf64 $1
        load $2 #-1
        itof $2 $2
        prtf64 $2
        itof $3 $3          ; 0 as 0, not -0
        prtf64 $3
        hlt
`,
    { output: "-2147483648\n2147483647\n-1\n0\n" },
  );
});

/** Doubles ftoi takes, as `.float` literals, with the i32 each gives. */
const FTOI_IN_RANGE: [string, number][] = [
  ["2147483647.9", 2147483647],
  ["2147483647.0", 2147483647],
  ["-2147483648.5", -2147483648],
  ["-2147483648.9999995", -2147483648],
  ["3.99", 3],
  ["-3.99", -3],
  ["-0.5", 0],
  ["-0.0", 0],
  ["1e-300", 0],
];

Deno.test("ftoi truncates toward zero everything strictly between -2147483649 and 2147483648", () => {
  for (const [literal, expected] of FTOI_IN_RANGE) {
    expectSource(
      `ftoi ${literal}`,
      `
.data
x: .float #${literal}
.code
        ldf64 $0 @x
        load $1 #77
        ftoi $0 $1
        prti $1
        hlt
`,
      { output: `${expected}\n` },
    );
  }
});

Deno.test("ftoi faults on NaN, infinities and values outside i32, the register unchanged", () => {
  const outside = ["2147483648.0", "-2147483649.0", "1e300", "-1e20"];
  const sources = outside.map((literal) => [literal, `.data\nx: .float #${literal}\n.code\n ldf64 $0 @x`]);
  sources.push(["NaN", "loadf64 $1 #0\n divf64 $1 $1 $0"]);
  sources.push(["Infinity", "loadf64 $1 #1\n loadf64 $2 #0\n divf64 $1 $2 $0"]);
  sources.push(["-Infinity", "loadf64 $1 #1\n loadf64 $2 #0\n subf64 $2 $1 $1\n divf64 $1 $2 $0"]);
  for (const [name, setup] of sources) {
    const p = assembled(`${setup}\n load $3 #77\n ftoi $0 $3\n prti $3\n hlt`);
    const at = (p.code.length - 12).toString(16).padStart(4, "0");
    expectOnEveryTier(`ftoi ${name}`, p, {
      output: "",
      fault: `fault: float to integer out of range at 0x${at} (ftoi $0 $3)`,
      check: (machine) => assertEquals(machine.registers[3], 77),
    });
  }
});

Deno.test("shru shifts in zeros, unlike shr, at amounts from 0 to 31", () => {
  expectSource(
    "shru",
    `
        load $0 #-1
        shru $0 #28
        prti $0
        load $0 #-16
        shru $0 #0
        load $1 #0
        lt $0 $1            ; still negative, in the compiled code too
        djmpe @negative
        prti $31
negative:
        prti $0
        load $0 #-16
        shru $0 #2
        prti $0
        load $0 #-16
        shr $0 #2
        prti $0
        load $0 #-2147483648
        shru $0 #31
        prti $0
        load $0 #-1
        shru $0 #1
        prti $0
        load $0 #256
        shru $0 #4
        prti $0
        hlt
`,
    { output: "15\n-16\n1073741820\n-4\n1\n2147483647\n16\n" },
  );
});

/** Dividend, divisor, remainder. */
const REMAINDERS: [number, number, number][] = [
  [7, 3, 1],
  [-7, 3, -1],
  [7, -3, 1],
  [-7, -3, -1],
  [6, 3, 0],
  [-2147483648, -1, 0],
  [-2147483648, 3, -2],
  [2147483647, -2147483648, 2147483647],
];

Deno.test("rem takes the sign of the dividend, as div's remainder, and leaves that remainder alone", () => {
  for (const [a, b, expected] of REMAINDERS) {
    expectSource(
      `rem ${a} ${b}`,
      `
        load $0 #${a}
        load $1 #${b}
        rem $0 $1 $2
        prti $2
        div $0 $1 $3        ; the remainder div keeps agrees
        rem $0 $0 $0        ; and a register that is all three operands
        prti $0
        hlt
`,
      {
        output: `${expected}\n0\n`,
        check: (machine, tier) => assertEquals(machine.remainder, expected, `${tier}: remainder`),
      },
    );
  }
});

Deno.test("rem by zero faults with division by zero, the target unchanged", () => {
  const p = assembled("load $0 #5\nload $2 #9\nrem $0 $1 $2\nprti $2\nhlt");
  expectOnEveryTier("rem by zero", p, {
    output: "",
    fault: "fault: division by zero at 0x0008 (rem $0 $1 $2)",
    check: (machine) => assertEquals(machine.registers[2], 9),
  });
});

Deno.test("load $r @label puts a code label's address in r, for jmp, forward and backward", () => {
  expectSource(
    "load code label",
    `
        load $0 @forward
        jmp $0
        prti $31
back:   load $2 #2
        prti $2
        hlt
forward:
        load $1 #1
        prti $1
        load $3 @back
        jmp $3
`,
    {
      output: "1\n2\n",
      check: (machine) => assertEquals([machine.registers[0], machine.registers[3]], [24, 12]),
    },
  );
});

Deno.test("load $r @label puts a data label's read-only offset in r, where prts and ldi read", () => {
  const source = `
.data
first:  .asciiz 'ab'
second: .asciiz 'xyz'
number: .integer #-9
.code
        load $0 @first
        load $1 @second
        load $2 @number
        prti $0
        prti $1
        prti $2
        prts @second
        ldi $3 @number
        prti $3
        hlt
`;
  expectSource("load data label", source, { output: "0\n3\n7\nxyz-9\n" });
});
