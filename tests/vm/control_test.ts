import { assertEquals } from "../assert.ts";
import { createMachine, program, runLines } from "./_program.ts";

Deno.test("jmp jumps to the address in a register", () => {
  const { machine } = runLines([["load", 0, 12], ["jmp", 0], ["load", 1, 1], ["hlt"]]);
  assertEquals([machine.registers[1], machine.pc], [0, 16]);
});

Deno.test("jmpf and jmpb are relative to the next instruction", () => {
  const { machine, output } = runLines([
    ["load", 0, 4], //  0
    ["jmpf", 0], //     4: to 8 + 4 = 12
    ["hlt"], //         8
    ["prti", 0], //    12
    ["load", 1, 16], // 16
    ["jmpb", 1], //    20: to 24 - 16 = 8
  ]);
  assertEquals([output, machine.pc], ["4\n", 12]);
});

Deno.test("jmpe jumps only when the equal flag is set, otherwise goes on to the next instruction", () => {
  const lines = [["load", 1, 20], ["eq", 0, 2], ["jmpe", 1], ["prti", 0], ["hlt"], ["prti", 1], [
    "hlt",
  ]] as const;
  const { machine, output } = createMachine(program([...lines]));
  machine.registers[2] = 5;
  machine.run(100);
  assertEquals(output(), "0\n");
  assertEquals(runLines([...lines]).output, "20\n");
});

Deno.test("djmpe jumps to its label only when the equal flag is set", () => {
  const outputs = ["eq", "neq"].map((compare) =>
    runLines([["load", 1, 7], [compare, 0, 0], ["djmpe", "@yes"], ["prti", 0], ["hlt"], "yes:", ["prti", 1], [
      "hlt",
    ]])
      .output
  );
  assertEquals(outputs, ["7\n", "0\n"]);
});

Deno.test("cloop and loop run a body the counter's number of extra times", () => {
  const { machine, output } = runLines([["cloop", 3], "top:", ["inc", 0], ["loop", "@top"], ["prti", 0], [
    "hlt",
  ]]);
  assertEquals([output, machine.loopCounter], ["4\n", 0]);
});

Deno.test("loop with a zero counter falls through", () => {
  const { output } = runLines([["cloop", 0], ["loop", "@end"], ["prti", 0], "end:", ["hlt"]]);
  assertEquals(output, "0\n");
});

Deno.test("call pushes the next instruction's address and ret returns to it", () => {
  const { machine, output } = runLines([
    ["call", "@double"],
    ["prti", 0],
    ["hlt"],
    "double:",
    ["load", 0, 21],
    ["add", 0, 0, 0],
    ["ret"],
  ]);
  assertEquals([output, machine.stackDepth, machine.pc], ["42\n", 0, 12]);
});

Deno.test("a jump to exactly the code length reaches the end of the code", () => {
  const { result } = runLines([["load", 0, 8], ["jmp", 0]]);
  assertEquals(result.fault?.message, "fault: no hlt at 0x0008 (ran off the end of the code)");
  const paused = runLines([["load", 0, 8], ["jmp", 0]], [], { endOfCode: "pause" });
  assertEquals([paused.result.status, paused.machine.pc], ["ended", 8]);
});
