import { assertEquals } from "../assert.ts";
import { createMachine, type Line, program } from "./_program.ts";

const MIN = -(2 ** 31), MAX = 2 ** 31 - 1;

/** Runs `lines` + hlt with $0, $1, ... preset to `inputs`; returns the machine. */
function runWith(lines: Line[], inputs: number[] = []) {
  const { machine } = createMachine(program([...lines, ["hlt"]]));
  inputs.forEach((value, i) => machine.registers[i] = value);
  assertEquals(machine.run(1000).status, "halted");
  return machine;
}

Deno.test("load zero-extends its 16-bit immediate", () => {
  assertEquals(runWith([["load", 3, 65535]]).registers[3], 65535);
});

Deno.test("add, sub and mul wrap around at 32 bits", () => {
  assertEquals(runWith([["add", 0, 1, 2]], [MAX, 1]).registers[2], MIN);
  assertEquals(runWith([["sub", 0, 1, 2]], [MIN, 1]).registers[2], MAX);
  assertEquals(runWith([["mul", 0, 1, 2]], [0x10000, 0x10000]).registers[2], 0);
  assertEquals(runWith([["mul", 0, 1, 2]], [MAX, MAX]).registers[2], 1);
  assertEquals(
    runWith([["mul", 0, 1, 2]], [123456789, -987654321]).registers[2],
    Math.imul(123456789, -987654321),
  );
});

Deno.test("inc and dec wrap around at 32 bits", () => {
  assertEquals(runWith([["inc", 0]], [MAX]).registers[0], MIN);
  assertEquals(runWith([["dec", 0]], [MIN]).registers[0], MAX);
});

Deno.test("div truncates toward zero and the remainder follows the dividend", () => {
  const cases = [[7, 2, 3, 1], [-7, 2, -3, -1], [7, -2, -3, 1], [-7, -2, 3, -1], [MAX, 1, MAX, 0], [
    1,
    MIN,
    0,
    1,
  ]];
  for (const [a, b, quotient, remainder] of cases) {
    const machine = runWith([["div", 0, 1, 2]], [a, b]);
    assertEquals([machine.registers[2], machine.remainder], [quotient, remainder], `${a} / ${b}`);
  }
});

Deno.test("div of MIN by -1 wraps to MIN with remainder 0", () => {
  const machine = runWith([["div", 0, 1, 2]], [MIN, -1]);
  assertEquals([machine.registers[2], machine.remainder], [MIN, 0]);
});

Deno.test("div may write its result over an operand", () => {
  const machine = runWith([["div", 0, 1, 0]], [-9, 4]);
  assertEquals([machine.registers[0], machine.remainder], [-2, -1]);
});

Deno.test("shl and shr shift by 0 and by 31", () => {
  assertEquals(runWith([["shl", 0, 0]], [-5]).registers[0], -5);
  assertEquals(runWith([["shl", 0, 31]], [3]).registers[0], MIN);
  assertEquals(runWith([["shr", 0, 0]], [-5]).registers[0], -5);
  assertEquals(runWith([["shr", 0, 31]], [MAX]).registers[0], 0);
});

Deno.test("shr is arithmetic: negatives keep their sign", () => {
  assertEquals(runWith([["shr", 0, 1]], [-5]).registers[0], -3);
  assertEquals(runWith([["shr", 0, 31]], [MIN]).registers[0], -1);
  assertEquals(runWith([["shr", 0, 4]], [-256]).registers[0], -16);
});

Deno.test("and, or, xor and not are bitwise", () => {
  const machine = runWith([["and", 0, 1, 2], ["or", 0, 1, 3], ["xor", 0, 1, 4], ["not", 0, 5]], [
    0b1100,
    0b1010,
  ]);
  assertEquals([...machine.registers.slice(2, 6)], [0b1000, 0b1110, 0b0110, ~0b1100]);
});

Deno.test("load and lui build 0xDEADBEEF", () => {
  assertEquals(runWith([["load", 0, 0xdead], ["lui", 0, 0xbeef]]).registers[0], 0xdeadbeef | 0);
});

Deno.test("lui shifts the old value left by 16 and drops its high bits", () => {
  assertEquals(runWith([["lui", 0, 0x0001]], [0x12345678]).registers[0], 0x56780001);
});

Deno.test("integer comparisons are signed and set the equal flag", () => {
  const cases: [string, number, number, boolean][] = [
    ["eq", 5, 5, true],
    ["eq", 5, 6, false],
    ["neq", 5, 6, true],
    ["neq", 5, 5, false],
    ["gte", 5, 5, true],
    ["gte", -1, 0, false],
    ["lte", -1, 0, true],
    ["lte", 1, 0, false],
    ["lt", MIN, MAX, true],
    ["lt", 3, 3, false],
    ["gt", 0, -1, true],
    ["gt", MIN, MAX, false],
  ];
  for (const [mnemonic, a, b, expected] of cases) {
    assertEquals(runWith([[mnemonic, 0, 1]], [a, b]).equalFlag, expected, `${mnemonic} ${a} ${b}`);
  }
});

Deno.test("nop changes nothing but pc", () => {
  const machine = runWith([["nop"]], [42]);
  assertEquals([machine.registers[0], machine.pc], [42, 8]);
});
