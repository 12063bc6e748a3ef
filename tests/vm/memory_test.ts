import { assertEquals } from "../assert.ts";
import { asciiz, runLines } from "./_program.ts";

Deno.test("the heap starts as 64 zero bytes", () => {
  const { machine } = runLines([["hlt"]]);
  assertEquals([machine.heapSize, machine.heapBytes().every((byte) => byte === 0)], [64, true]);
});

Deno.test("aloc grows the heap by zero bytes", () => {
  const { machine } = runLines([["load", 0, 1000], ["aloc", 0], ["aloc", 0], ["hlt"]]);
  assertEquals(machine.heapSize, 2064);
  assertEquals(machine.heapBytes().every((byte) => byte === 0), true);
});

Deno.test("setm stores a little-endian i32 that loadm reads back", () => {
  const { machine } = runLines([["load", 0, 0xdead], ["lui", 0, 0xbeef], ["load", 1, 60], ["setm", 1, 0], [
    "loadm",
    1,
    2,
  ], ["hlt"]]);
  assertEquals([...machine.heapBytes().slice(60)], [0xef, 0xbe, 0xad, 0xde]);
  assertEquals(machine.registers[2], 0xdeadbeef | 0);
});

Deno.test("loadm and setm reach the last 4 bytes of the heap and no further", () => {
  const inside = runLines([["load", 0, 60], ["setm", 0, 0], ["loadm", 0, 1], ["hlt"]]);
  assertEquals(inside.result.status, "halted");
  const past = runLines([["load", 0, 61], ["loadm", 0, 1], ["hlt"]]);
  assertEquals(past.result.fault?.message, "fault: heap access out of range at 0x0004 (loadm $0 $1)");
  const negative = runLines([["load", 0, 0], ["dec", 0], ["setm", 0, 0], ["hlt"]]);
  assertEquals(negative.result.fault?.message, "fault: heap access out of range at 0x0008 (setm $0 $0)");
});

Deno.test("aloc up to the heap limit works and one byte past it faults", () => {
  const options = { heapLimit: 100 };
  const inside = runLines([["load", 0, 36], ["aloc", 0], ["hlt"]], [], options);
  assertEquals([inside.result.status, inside.machine.heapSize], ["halted", 100]);
  const past = runLines([["load", 0, 37], ["aloc", 0], ["hlt"]], [], options);
  assertEquals(past.result.fault?.message, "fault: heap limit exceeded at 0x0004 (aloc $0)");
  assertEquals(past.machine.heapSize, 64);
});

Deno.test("aloc of a negative size faults", () => {
  const { result } = runLines([["dec", 0], ["aloc", 0], ["hlt"]]);
  assertEquals(result.fault?.message, "fault: heap access out of range at 0x0004 (aloc $0)");
});

Deno.test("push and pop keep words last in, first out", () => {
  const { machine } = runLines([["load", 0, 1], ["load", 1, 2], ["push", 0], ["push", 1], ["pop", 2], [
    "pop",
    3,
  ], [
    "hlt",
  ]]);
  assertEquals([machine.registers[2], machine.registers[3], machine.stackDepth], [2, 1, 0]);
});

Deno.test("push up to the stack limit works and one word past it faults", () => {
  const pushes = (count: number) =>
    runLines([...Array.from({ length: count }, () => ["push", 0] as const), ["hlt"]], [], { stackLimit: 40 });
  const inside = pushes(40);
  assertEquals([inside.result.status, inside.machine.stackDepth], ["halted", 40]);
  const past = pushes(41);
  assertEquals(past.result.fault?.message, "fault: stack overflow at 0x00a0 (push $0)");
  assertEquals(past.machine.stackDepth, 40);
});

Deno.test("call at the stack limit overflows and just inside it works", () => {
  const lines = [["push", 0], ["push", 0], ["call", "@f"], ["hlt"], "f:", ["ret"]] as const;
  assertEquals(runLines([...lines], [], { stackLimit: 3 }).result.status, "halted");
  assertEquals(
    runLines([...lines], [], { stackLimit: 2 }).result.fault?.message,
    "fault: stack overflow at 0x0008 (call @0x0010)",
  );
});

Deno.test("deep recursion grows the stack to its limit", () => {
  const { result, machine } = runLines(["f:", ["call", "@f"]], [], { stackLimit: 5000 });
  assertEquals([result.fault?.kind, machine.stackDepth], ["stack overflow", 5000]);
  assertEquals(machine.stackWords().every((word) => word === 4), true);
});

Deno.test("prts prints the zero-terminated string exactly, adding nothing", () => {
  const rodata = [...asciiz("héllo, "), ...asciiz("world\n")];
  const { output } = runLines([["prts", 0], ["prts", 9], ["hlt"]], rodata);
  assertEquals(output, "héllo, world\n");
});

Deno.test("prts of an empty string prints nothing", () => {
  assertEquals(runLines([["prts", 0], ["hlt"]], [0]).output, "");
});

Deno.test("prti prints a register in decimal and a newline", () => {
  const { output } = runLines([["dec", 0], ["prti", 0], ["load", 1, 65535], ["prti", 1], ["hlt"]]);
  assertEquals(output, "-1\n65535\n");
});

Deno.test("ldi reads a little-endian i32 from the read-only section, up to its last 4 bytes", () => {
  const rodata = [1, 0xff, 0xff, 0xff, 0x7f];
  const { machine } = runLines([["ldi", 0, 0], ["ldi", 1, 1], ["hlt"]], rodata);
  assertEquals([machine.registers[0], machine.registers[1]], [-255, 0x7fffffff]);
  const past = runLines([["ldi", 0, 2], ["hlt"]], rodata);
  assertEquals(past.result.fault?.message, "fault: read-only access out of range at 0x0000 (ldi $0 @0x0002)");
});
