import { assertEquals } from "../assert.ts";
import { createMachine, type Line, program, runLines } from "./_program.ts";

/** Runs `lines` + hlt with float $0, $1, ... preset to `inputs`; returns the machine. */
function runWith(lines: Line[], inputs: number[] = []) {
  const { machine, output } = createMachine(program([...lines, ["hlt"]]));
  inputs.forEach((value, i) => machine.floats[i] = value);
  assertEquals(machine.run(1000).status, "halted");
  return { machine, output: output() };
}

Deno.test("loadf64 loads its immediate as a double", () => {
  assertEquals(runWith([["loadf64", 4, 65535]]).machine.floats[4], 65535);
});

Deno.test("float arithmetic follows IEEE doubles", () => {
  const { machine } = runWith(
    [["addf64", 0, 1, 2], ["subf64", 0, 1, 3], ["mulf64", 0, 1, 4], ["divf64", 0, 1, 5]],
    [7.5, 2.5],
  );
  assertEquals([...machine.floats.slice(2, 6)], [10, 5, 18.75, 3]);
  assertEquals(runWith([["addf64", 0, 1, 2]], [0.1, 0.2]).machine.floats[2], 0.1 + 0.2);
});

Deno.test("divf64 by zero gives Infinity, -Infinity or NaN", () => {
  const { machine } = runWith([["divf64", 0, 3, 4], ["divf64", 1, 3, 5], ["divf64", 3, 3, 6]], [1, -1, 0, 0]);
  assertEquals([machine.floats[4], machine.floats[5]], [Infinity, -Infinity]);
  assertEquals(Number.isNaN(machine.floats[6]), true);
});

Deno.test("float comparisons set the equal flag and are all false on NaN except neqf64", () => {
  const ordered: [string, number, number, boolean][] = [
    ["eqf64", 1.5, 1.5, true],
    ["eqf64", 0, -0, true],
    ["neqf64", 1.5, 2, true],
    ["gtf64", 2, 1.5, true],
    ["gtf64", 1.5, 1.5, false],
    ["gtef64", 1.5, 1.5, true],
    ["ltf64", -Infinity, 0, true],
    ["ltf64", 1.5, 1.5, false],
    ["ltef64", 1.5, 1.5, true],
  ];
  for (const [mnemonic, a, b, expected] of ordered) {
    assertEquals(runWith([[mnemonic, 0, 1]], [a, b]).machine.equalFlag, expected, `${mnemonic} ${a} ${b}`);
  }
  for (const mnemonic of ["eqf64", "gtf64", "gtef64", "ltf64", "ltef64"]) {
    assertEquals(runWith([[mnemonic, 0, 0]], [NaN]).machine.equalFlag, false, `${mnemonic} NaN NaN`);
  }
  assertEquals(runWith([["neqf64", 0, 0]], [NaN]).machine.equalFlag, true);
});

Deno.test("prtf64 prints the shortest round-trip form and a newline", () => {
  const values = [7.5, 10, NaN, Infinity, -Infinity, -0, 0.1 + 0.2, 1e21];
  const { output } = runWith(values.map((_, i): Line => ["prtf64", i]), values);
  assertEquals(output, "7.5\n10\nNaN\nInfinity\n-Infinity\n-0\n0.30000000000000004\n1e+21\n");
});

Deno.test("ldf64 reads a little-endian double from the read-only section", () => {
  const bytes = new Uint8Array(12);
  new DataView(bytes.buffer).setFloat64(4, -2.25, true);
  const { machine, result } = runLines([["ldf64", 7, 4], ["hlt"]], [...bytes]);
  assertEquals([result.status, machine.floats[7]], ["halted", -2.25]);
});
