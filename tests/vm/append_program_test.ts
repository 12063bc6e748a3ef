/**
 * appendProgram() leaves the state loadProgram() leaves: programs appended a few instructions at a time
 * (with superinstruction patterns across every boundary, floats arriving late, jumps to the end) are
 * compared with the same program loaded whole, at every step, with superinstructions and without.
 *
 * Mutations checked: re-fusing from `from` instead of two instructions earlier fails the inc/lt/jmpe
 * case; validating the tail's jump targets against the tail's own length fails the djmpe case; dropping
 * the outside-target fallback fails the last test.
 */
import { assertEquals } from "../assert.ts";
import { assemble } from "../../src/asm/assembler.ts";
import { appendProgram } from "../../src/vm/append_program.ts";
import { loadProgram } from "../../src/vm/machine.ts";
import { VmState } from "../../src/vm/state.ts";

const LINES = [
  "top: load $2 #5",
  "inc $1",
  "lt $1 $2",
  "djmpe @top",
  "mid: dec $3",
  "eq $3 $4",
  "jmpe $0",
  "loadf64 $1 #2",
  "addf64 $1 $1 $2",
  "djmp @top",
  "djmpe @mid",
  "prti $1",
];

function state(): VmState {
  return new VmState(() => {}, 1 << 16, 64, true, undefined);
}

function snapshot(s: VmState) {
  return {
    decoded: [...s.decoded],
    code: [...s.code],
    codeLength: s.codeLength,
    usesFloats: s.usesFloats,
    rodata: [...s.rodata],
  };
}

function codeOf(lines: string[]): Uint8Array {
  const result = assemble(lines.join("\n") + "\n", { file: "t.iasm" });
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.code;
}

for (const superinstructions of [true, false]) {
  Deno.test(`appendProgram() matches loadProgram() at every step (superinstructions: ${superinstructions})`, () => {
    const again = LINES.map((line) => line.replace(/^\w+: /, ""));
    const code = codeOf([...LINES, ...again, ...again]);
    for (const step of [4, 8, 12, 20]) {
      const appended = state();
      loadProgram(
        appended,
        { code: code.subarray(0, 0), rodata: new Uint8Array(0), entry: 0 },
        superinstructions,
      );
      for (let end = step; end <= code.length; end += step) {
        const program = { code: code.subarray(0, end), rodata: new Uint8Array([end & 255]), entry: 0 };
        assertEquals(appendProgram(appended, program, superinstructions), true, `append up to ${end}`);
        const whole = state();
        loadProgram(whole, program, superinstructions);
        assertEquals(snapshot(appended), snapshot(whole), `step ${step}, up to ${end}`);
      }
    }
  });
}

Deno.test("appendProgram() declines a program with a jump outside the code, and a shorter one", () => {
  const s = state();
  const outside = new Uint8Array([52, 0, 200, 0]); // djmp 200: outside a 4-byte program
  loadProgram(s, { code: outside, rodata: new Uint8Array(0), entry: 0 }, true);
  const longer = new Uint8Array(204);
  longer.set(outside);
  assertEquals(appendProgram(s, { code: longer, rodata: new Uint8Array(0), entry: 0 }, true), false);
  assertEquals(
    appendProgram(s, { code: new Uint8Array(0), rodata: new Uint8Array(0), entry: 0 }, true),
    false,
  );
});
