/**
 * Random unverified bytes on the interpreter: run() never throws and every fault names its kind and place.
 *
 * Mutation caught: a fault thrown as an exception (division by zero throwing instead of setting the fault)
 * fails at once; the outcome mix makes sure the bytes reach halts, budgets and several kinds of fault, not
 * only illegal opcodes.
 */
import { mulberry32 } from "../../fuzz/random.ts";
import { assert, assertEquals } from "../assert.ts";
import { createMachine } from "./_program.ts";

const random = mulberry32;

Deno.test("random unverified bytes never make run() throw, and reach halts, budgets and faults of many kinds", () => {
  const outcomes = new Map<string, number>();
  for (let seed = 1; seed <= 300; seed++) {
    const next = random(seed);
    const byte = (max: number) => Math.floor(next() * max);
    const code = Uint8Array.from({ length: 4 * (1 + byte(24)) + byte(4) }, (_, i) =>
      // Mostly valid opcodes and small operands, so that programs get somewhere before faulting.
      i % 4 === 0 ? byte(60) : byte(next() < 0.9 ? 40 : 256));
    const rodata = Uint8Array.from({ length: byte(16) }, () => byte(256));
    const { machine } = createMachine({ code, rodata, entry: 0 }, { heapLimit: 4096, stackLimit: 64 });
    const result = machine.run(2000);
    assertEquals(["halted", "faulted", "budget"].includes(result.status), true, `seed ${seed}`);
    const outcome = result.fault?.kind ?? result.status;
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    if (result.fault) {
      assertEquals(result.fault.message.startsWith(`fault: ${result.fault.kind} at 0x`), true);
    }
  }
  const seen = JSON.stringify(Object.fromEntries(outcomes));
  assert(outcomes.has("halted") && outcomes.has("budget"), seen);
  assert(outcomes.size >= 6, `too few kinds of outcome: ${seen}`);
});
