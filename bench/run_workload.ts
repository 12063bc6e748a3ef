/**
 * Runs one Iridium workload in-process, as `iridium FILE` would (assemble, then run in 1,000,000-instruction
 * slices), and reports how long each part took:
 *
 *   deno run -A bench/run_workload.ts bench/workloads/w1.iasm [--tier interpreter]
 *
 * The program's output goes to stdout; one JSON line with `assembleMs`, `guestMs` (machine creation and
 * run, compilation included), `executed` and `tier` goes to stderr. `IRIDIUM_TIER=interpreter` in the
 * environment forces the reference interpreter like `--tier interpreter`.
 */
import { assemble } from "../src/asm/assembler.ts";
import { CompilingExecutor } from "../src/vm/fast/compiling_executor.ts";
import { createMachine, type Tier } from "../src/vm/fast/select.ts";

/** The slice the CLI runs a file in (src/cli/run_file.ts). */
const SLICE = 1_000_000;

const args = [...Deno.args];
const tierAt = args.indexOf("--tier");
const tier = (tierAt >= 0 ? args.splice(tierAt, 2)[1] : Deno.env.get("IRIDIUM_TIER") ?? "auto") as Tier;
const file = args[0];
if (!file || !["auto", "javascript", "interpreter"].includes(tier)) {
  console.error("usage: run_workload.ts FILE.iasm [--tier auto|javascript|interpreter]");
  Deno.exit(2);
}

const assembleStart = performance.now();
const assembled = assemble(Deno.readTextFileSync(file), { file });
const assembleMs = performance.now() - assembleStart;
if (!assembled.ok) {
  console.error(assembled.diagnostics.map((d) => d.message).join("\n"));
  Deno.exit(1);
}

const output: string[] = [];
const guestStart = performance.now();
const machine = createMachine(
  { code: assembled.code, rodata: assembled.rodata, entry: assembled.entry },
  { output: (text) => output.push(text), heapLimit: 1 << 24, stackLimit: 1 << 20, endOfCode: "fault", tier },
);
let executed = 0;
for (;;) {
  const result = machine.run(SLICE);
  executed += result.executed;
  if (result.status === "budget") continue;
  if (result.status !== "halted") {
    console.error(result.fault?.message ?? result.status);
    Deno.exit(1);
  }
  break;
}
const guestMs = performance.now() - guestStart;
await Deno.stdout.write(new TextEncoder().encode(output.join("")));
const backend = machine.executor instanceof CompilingExecutor ? machine.executor.backend : undefined;
console.error(JSON.stringify({ assembleMs, guestMs, executed, tier: backend ?? "interpreter" }));
// Ends as the CLI does (main.ts: `Deno.exit(await runCli(Deno.args))`), so that a whole-process row does not
// time Deno closing its SQLite caches, which it does when a program ends by running out of code.
Deno.exit(0);
