import { assertEquals } from "../assert.ts";
import type { Program } from "../../src/bytecode/program.ts";
import { asciiz, createMachine, runLines } from "./_program.ts";

/** The fault message of running raw code bytes. */
function faultOf(bytes: number[]): string | undefined {
  const prog: Program = { code: Uint8Array.from(bytes), rodata: new Uint8Array(), entry: 0 };
  return createMachine(prog).machine.run(1000).fault?.message;
}

Deno.test("division by zero faults and names the instruction", () => {
  const { result, machine } = runLines([["load", 0, 1], ["nop"], ["nop"], ["nop"], ["div", 0, 1, 2], [
    "hlt",
  ]]);
  assertEquals(result.status, "faulted");
  assertEquals(result.fault, {
    kind: "division by zero",
    pc: 0x10,
    instruction: "div $0 $1 $2",
    message: "fault: division by zero at 0x0010 (div $0 $1 $2)",
  });
  assertEquals([machine.pc, result.executed], [0x10, 4]);
});

Deno.test("an unknown opcode faults as illegal opcode", () => {
  assertEquals(
    faultOf([16, 0, 0, 0, 200, 1, 2, 3]),
    "fault: illegal opcode at 0x0004 (<illegal opcode 0xc8>)",
  );
});

Deno.test("a cut-short last instruction faults as illegal opcode", () => {
  assertEquals(faultOf([16, 0, 0, 0, 5, 0]), "fault: illegal opcode at 0x0004 (truncated instruction)");
});

Deno.test("a register operand of 32 or more faults as register out of range", () => {
  assertEquals(faultOf([1, 0, 32, 1]), "fault: register out of range at 0x0000 (add $0 $32 $1)");
  assertEquals(faultOf([51, 255, 0, 0]), "fault: register out of range at 0x0000 (prtf64 $255)");
});

Deno.test("jumps outside the code or off the instruction grid fault", () => {
  const jump = (target: number) => runLines([["load", 0, target], ["jmp", 0], ["hlt"]]).result.fault?.message;
  assertEquals(jump(13), "fault: jump outside the code at 0x0004 (jmp $0)");
  assertEquals(jump(6), "fault: jump outside the code at 0x0004 (jmp $0)");
  const back = runLines([["load", 0, 12], ["jmpb", 0]]).result.fault?.message;
  assertEquals(back, "fault: jump outside the code at 0x0004 (jmpb $0)");
  assertEquals(faultOf([46, 0, 9, 0]), "fault: jump outside the code at 0x0000 (call @0x0009)");
  assertEquals(faultOf([40, 0, 1, 0, 41, 0, 64, 0]), "fault: jump outside the code at 0x0004 (loop @0x0040)");
});

Deno.test("a djmpe outside the code faults only when taken", () => {
  assertEquals(faultOf([10, 0, 0, 0, 20, 0, 64, 0, 5, 0, 0, 0]), undefined);
  assertEquals(
    faultOf([9, 0, 0, 0, 20, 0, 64, 0, 5, 0, 0, 0]),
    "fault: jump outside the code at 0x0004 (djmpe @0x0040)",
  );
});

Deno.test("ret to an address outside the code faults and leaves the stack alone", () => {
  const { result, machine } = runLines([["load", 0, 2], ["push", 0], ["ret"]]);
  assertEquals(result.fault?.message, "fault: jump outside the code at 0x0008 (ret)");
  assertEquals(machine.stackDepth, 1);
});

Deno.test("pop and ret on an empty stack fault", () => {
  assertEquals(runLines([["pop", 3]]).result.fault?.message, "fault: empty stack at 0x0000 (pop $3)");
  assertEquals(runLines([["nop"], ["ret"]]).result.fault?.message, "fault: empty stack at 0x0004 (ret)");
});

Deno.test("running off the end of the code faults as no hlt", () => {
  const { result, machine } = runLines([["nop"], ["nop"], ["nop"], ["nop"], ["nop"]]);
  assertEquals(result.fault?.message, "fault: no hlt at 0x0014 (ran off the end of the code)");
  assertEquals([machine.pc, result.executed], [0x14, 5]);
});

Deno.test("prts without a terminator or past the section faults", () => {
  assertEquals(
    runLines([["prts", 0], ["hlt"]], [104, 105]).result.fault?.message,
    "fault: read-only access out of range at 0x0000 (prts @0x0000)",
  );
  assertEquals(
    runLines([["prts", 3], ["hlt"]], asciiz("hi")).result.fault?.message,
    "fault: read-only access out of range at 0x0000 (prts @0x0003)",
  );
});

Deno.test("ldf64 past the read-only section faults", () => {
  assertEquals(
    runLines([["ldf64", 0, 1], ["hlt"]], new Array(8).fill(0)).result.fault?.message,
    "fault: read-only access out of range at 0x0000 (ldf64 $0 @0x0001)",
  );
});

Deno.test("a pc set outside the code faults before running anything", () => {
  const { machine } = createMachine({ code: Uint8Array.of(5, 0, 0, 0), rodata: new Uint8Array(), entry: 2 });
  assertEquals(
    machine.run(10).fault?.message,
    "fault: jump outside the code at 0x0002 (pc outside the code)",
  );
});
