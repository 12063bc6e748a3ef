import { mulberry32 } from "../../fuzz/random.ts";
import { assertEquals } from "../assert.ts";
import { createMachine } from "./_program.ts";

const random = mulberry32;

Deno.test("random unverified bytes never make run() throw", () => {
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
    if (result.fault) {
      assertEquals(result.fault.message.startsWith(`fault: ${result.fault.kind} at 0x`), true);
    }
  }
});
