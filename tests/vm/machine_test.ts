/**
 * The Machine class: run() slices and their statuses, registers, snapshots, nested runs.
 * Mutation checked: snapshot() printing every NaN as `NaN` (its payload lost) fails the NaN snapshot test.
 */
import { assertEquals } from "../assert.ts";
import { asciiz, createMachine, program } from "./_program.ts";

const ENDLESS = program(["top:", ["inc", 0], ["jmp", 1]]);

Deno.test("run(10) on an endless loop returns budget after 10 instructions, then continues", () => {
  const { machine } = createMachine(ENDLESS);
  assertEquals(machine.run(10), { status: "budget", executed: 10 });
  assertEquals([machine.registers[0], machine.pc], [5, 0]);
  assertEquals(machine.run(7), { status: "budget", executed: 7 });
  assertEquals([machine.registers[0], machine.pc], [9, 4]);
  assertEquals(machine.run(100_000), { status: "budget", executed: 100_000 });
  assertEquals(machine.registers[0], 50_009);
});

Deno.test("run(0) executes nothing", () => {
  const { machine } = createMachine(ENDLESS);
  assertEquals(machine.run(0), { status: "budget", executed: 0 });
});

Deno.test("halted counts the hlt, and later runs repeat halted without executing", () => {
  const { machine, output } = createMachine(program([["prti", 0], ["hlt"], ["prti", 0]]));
  assertEquals(machine.run(100), { status: "halted", executed: 2 });
  assertEquals(machine.run(100), { status: "halted", executed: 0 });
  assertEquals([output(), machine.pc], ["0\n", 8]);
});

Deno.test("a faulted machine repeats its fault until pc is changed", () => {
  const { machine, output } = createMachine(program([["div", 0, 0, 0], ["prti", 0], ["hlt"]]));
  const first = machine.run(100);
  assertEquals([first.status, first.executed, machine.pc], ["faulted", 0, 0]);
  assertEquals(machine.run(100), { ...first, executed: 0 });
  machine.pc = 4;
  assertEquals(machine.run(100), { status: "halted", executed: 2 });
  assertEquals(output(), "0\n");
});

Deno.test("interrupt() stops the next run, and the run after it continues", () => {
  const { machine } = createMachine(ENDLESS);
  machine.interrupt();
  assertEquals(machine.run(1000), { status: "interrupted", executed: 0 });
  assertEquals(machine.run(1000), { status: "budget", executed: 1000 });
});

Deno.test("interrupt() from inside a run stops it within a few thousand instructions", () => {
  const prog = program(["top:", ["prti", 0], ["jmp", 1]]);
  let lines = 0;
  const { machine } = createMachine(prog, {
    output: () => {
      if (++lines === 3) machine.interrupt();
    },
  });
  const result = machine.run(1_000_000);
  assertEquals(result.status, "interrupted");
  assertEquals(result.executed <= 5000, true, `executed ${result.executed}`);
});

Deno.test("a nonzero shared interrupt flag stops runs until its owner clears it", () => {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { machine } = createMachine(ENDLESS, { interruptFlag: flag });
  assertEquals(machine.run(10).status, "budget");
  Atomics.store(flag, 0, 1);
  assertEquals(machine.run(10), { status: "interrupted", executed: 0 });
  assertEquals(machine.run(10).status, "interrupted");
  Atomics.store(flag, 0, 0);
  assertEquals(machine.run(10).status, "budget");
});

Deno.test("endOfCode pause ends at the code's end and appended code continues from there", () => {
  const first = program([["load", 0, 5], ["prti", 0]]);
  const { machine, output } = createMachine(first, { endOfCode: "pause" });
  assertEquals(machine.run(100), { status: "ended", executed: 2 });
  assertEquals(machine.pc, 8);
  assertEquals(machine.run(100), { status: "ended", executed: 0 });
  machine.setProgram(program([["load", 0, 5], ["prti", 0], ["inc", 0], ["prti", 0]]));
  assertEquals(machine.run(100), { status: "ended", executed: 2 });
  assertEquals([output(), machine.pc], ["5\n6\n", 16]);
});

Deno.test("setProgram keeps registers, heap and stack and swaps the read-only data", () => {
  const { machine, output } = createMachine(
    program([["load", 0, 80], ["aloc", 0], ["push", 0]], asciiz("a")),
    {
      endOfCode: "pause",
    },
  );
  machine.run(100);
  machine.setProgram(program([["nop"], ["nop"], ["nop"], ["prts", 0]], asciiz("b")));
  assertEquals(machine.run(100).status, "ended");
  assertEquals([machine.registers[0], machine.heapSize, machine.stackDepth, output()], [80, 144, 1, "b"]);
});

Deno.test("reset() restores the initial state and pc to the entry point", () => {
  const prog = program(
    [
      ["hlt"],
      ["load", 0, 80],
      ["aloc", 0],
      ["push", 0],
      ["loadf64", 0, 2],
      ["eq", 0, 0],
      [
        "cloop",
        9,
      ],
      ["div", 0, 0, 1],
      ["hlt"],
    ],
    [],
    4,
  );
  const { machine } = createMachine(prog);
  machine.registers[0] = 7;
  machine.run(100);
  assertEquals([machine.heapSize, machine.stackDepth, machine.equalFlag, machine.loopCounter], [
    144,
    1,
    true,
    9,
  ]);
  machine.reset();
  assertEquals([machine.pc, machine.heapSize, machine.stackDepth, machine.remainder], [4, 64, 0, 0]);
  assertEquals([machine.registers[0], machine.floats[0], machine.equalFlag, machine.loopCounter], [
    0,
    0,
    false,
    0,
  ]);
  assertEquals(machine.run(100).status, "halted");
});

Deno.test("clearRegisters() zeroes integer and float registers only", () => {
  const { machine } = createMachine(program([["load", 0, 3], ["loadf64", 1, 4], ["push", 0], ["hlt"]]));
  machine.run(100);
  machine.clearRegisters();
  assertEquals([machine.registers[0], machine.floats[1], machine.stackDepth, machine.pc], [0, 0, 1, 16]);
});

Deno.test("snapshot() shows registers, floats (-0 kept), flags, heap and stack as plain data", () => {
  const { machine } = createMachine(program([["load", 0, 3], ["push", 0], ["eq", 0, 0], ["hlt"]]));
  machine.floats[1] = -0;
  machine.run(10);
  const shot = machine.snapshot();
  assertEquals([shot.registers[0], shot.floats[1], shot.equalFlag, shot.stack, shot.pc], [
    3,
    "-0",
    true,
    [3],
    16,
  ]);
  assertEquals(shot.heap.length, 64);
});

Deno.test("snapshot() shows a NaN other than the canonical one with its bits, so tiers compare bit for bit", () => {
  const { machine } = createMachine(program([["hlt"]]));
  const bits = new BigUint64Array(machine.floats.buffer, machine.floats.byteOffset, 32);
  bits[0] = 0x7ff0000000000001n;
  bits[1] = 0xfff80000deadbeefn;
  machine.floats[2] = NaN;
  assertEquals(machine.snapshot().floats.slice(0, 3), [
    "NaN:0x7ff0000000000001",
    "NaN:0xfff80000deadbeef",
    "NaN",
  ]);
});

Deno.test("a machine run from inside another's output callback leaves both with their own registers", () => {
  const inner = createMachine(program([["load", 0, 100], ["load", 3, 300], ["prti", 0], ["hlt"]]));
  let innerRuns = 0;
  const outer = createMachine(
    program([["load", 0, 7], ["load", 5, 50], ["prti", 0], ["inc", 0], ["prti", 5], [
      "prti",
      0,
    ], ["hlt"]]),
    {
      output: () => {
        if (innerRuns++ === 0) assertEquals(inner.machine.run(100), { status: "halted", executed: 4 });
      },
    },
  );
  assertEquals(outer.machine.run(100), { status: "halted", executed: 7 });
  // The outer program still sees its own $0 and $5 after the inner run, and so do its registers after it.
  assertEquals([...outer.machine.registers.subarray(0, 6)], [8, 0, 0, 0, 0, 50]);
  assertEquals([...inner.machine.registers.subarray(0, 4)], [100, 0, 0, 300]);
  assertEquals(inner.output(), "100\n");
});

Deno.test("when an output callback throws, the registers keep what ran before it", () => {
  const { machine } = createMachine(
    program([["load", 0, 5], ["load", 1, 6], ["prti", 0], ["load", 2, 9], ["hlt"]]),
    {
      output: () => {
        throw new Error("reader gone");
      },
    },
  );
  let thrown: unknown;
  try {
    machine.run(100);
  } catch (error) {
    thrown = error;
  }
  assertEquals((thrown as Error).message, "reader gone");
  assertEquals([...machine.registers.subarray(0, 3)], [5, 6, 0]);
});

Deno.test("machines with and without float registers, run in turn, keep their own floats", () => {
  // `withFloats` adds f1 to f0 twice, one instruction per run; `integers` names no float register, so the
  // interpreter leaves its floats alone (the host's 2.5 stays), and the other machine's do not leak in.
  const withFloats = createMachine(
    program([["loadf64", 1, 3], ["addf64", 0, 1, 0], ["addf64", 0, 1, 0], ["hlt"]]),
  );
  const integers = createMachine(program([["load", 0, 1], ["inc", 0], ["inc", 0], ["hlt"]]));
  integers.machine.floats[0] = 2.5;
  for (let round = 0; round < 4; round++) {
    withFloats.machine.run(1);
    integers.machine.run(1);
  }
  assertEquals([withFloats.machine.floats[0], withFloats.machine.floats[1]], [6, 3]);
  assertEquals([integers.machine.floats[0], integers.machine.floats[1], integers.machine.registers[0]], [
    2.5,
    0,
    3,
  ]);
});
