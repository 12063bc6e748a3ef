/**
 * The conformance programs of tests/programs/, each carrying its expectation inline, run by this one runner
 * on every tier: the plain interpreter, the interpreter with superinstructions, the fast tier (WebAssembly
 * where it takes the program) and the fast tier's JavaScript back end, both compiling at once.
 *
 * Expectations: `; expect: TEXT` (one per output line, in order), `; expect fault: TEXT` (the fault message
 * after `fault: ` contains TEXT), `; expect error: LINE:COL TEXT` (assembly fails with a diagnostic there
 * whose message starts with TEXT; every diagnostic must be expected), and the limits `; heap-limit: BYTES`,
 * `; stack-limit: WORDS` (else the CLI's defaults).
 *
 * Mutations caught: an emptied or missing tests/programs/ fails "holds conformance programs"; any tier that
 * computes a different result fails that program's test; the fast tier never compiling fails every program
 * that runs (the runner asserts both fast machines ran compiled code).
 */
import { assemble } from "../src/asm/assembler.ts";
import { defaultOf } from "../src/cli/spec.ts";
import { CompilingExecutor } from "../src/vm/fast/compiling_executor.ts";
import { createMachine } from "../src/vm/fast/select.ts";
import { Machine, type MachineOptions } from "../src/vm/machine.ts";
import { assert, assertEquals, assertStringIncludes } from "./assert.ts";

const DIR = "tests/programs";

interface Expectation {
  output: string;
  fault?: string;
  errors: { line: number; col: number; message: string }[];
  heapLimit: number;
  stackLimit: number;
}

function expectationOf(source: string): Expectation {
  const limit = (name: string) => {
    const found = new RegExp(`; ${name}: (\\d+)`).exec(source);
    return found ? Number(found[1]) : defaultOf(name) as number;
  };
  return {
    output: [...source.matchAll(/; expect: (.*)$/gm)].map((m) => `${m[1].trimEnd()}\n`).join(""),
    fault: /; expect fault: (.*)$/m.exec(source)?.[1].trimEnd(),
    errors: [...source.matchAll(/; expect error: (\d+):(\d+) (.*)$/gm)].map((m) => ({
      line: Number(m[1]),
      col: Number(m[2]),
      message: m[3].trimEnd(),
    })),
    heapLimit: limit("heap-limit"),
    stackLimit: limit("stack-limit"),
  };
}

const TIERS = ["plain interpreter", "interpreter", "fast tier", "JavaScript fast tier"] as const;

function machineFor(
  tier: typeof TIERS[number],
  program: Parameters<typeof createMachine>[0],
  o: MachineOptions,
) {
  switch (tier) {
    case "plain interpreter":
      return new Machine(program, { ...o, superinstructions: false });
    case "interpreter":
      return new Machine(program, o);
    case "fast tier":
      return createMachine(program, { ...o, tier: "auto", compileAfter: 0 });
    case "JavaScript fast tier":
      return createMachine(program, { ...o, tier: "javascript", compileAfter: 0 });
  }
}

const files = (() => {
  try {
    return [...Deno.readDirSync(DIR)].filter((e) => e.isFile && e.name.endsWith(".iasm")).map((e) => e.name)
      .sort();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
})();

Deno.test("tests/programs/ holds conformance programs that run and programs that must not assemble", () => {
  assert(files.length >= 10, `expected at least 10 programs in ${DIR}, found ${files.length}`);
  const sources = files.map((name) => Deno.readTextFileSync(`${DIR}/${name}`));
  assert(sources.some((s) => s.includes("; expect error:")), "no program expects an assembly error");
  assert(sources.some((s) => s.includes("; expect fault:")), "no program expects a fault");
});

for (const name of files) {
  const file = `${DIR}/${name}`;
  const source = Deno.readTextFileSync(file);
  const expected = expectationOf(source);

  Deno.test(`${file} meets its inline expectations on every tier`, () => {
    const assembled = assemble(source, { file });
    if (expected.errors.length > 0) {
      assert(!assembled.ok, "assembled, but errors were expected");
      const found = assembled.diagnostics.map((d) => ({ line: d.line, col: d.col, message: d.message }));
      assertEquals(found.length, expected.errors.length, JSON.stringify(found));
      for (const [i, error] of expected.errors.entries()) {
        assertEquals([found[i].line, found[i].col], [error.line, error.col], found[i].message);
        assert(found[i].message.startsWith(error.message), `'${found[i].message}' after '${error.message}'`);
      }
      return;
    }
    assert(assembled.ok, JSON.stringify(!assembled.ok && assembled.diagnostics));
    const program = { code: assembled.code, rodata: assembled.rodata, entry: assembled.entry };
    for (const tier of TIERS) {
      let out = "";
      const machine = machineFor(tier, program, {
        output: (text) => out += text,
        heapLimit: expected.heapLimit,
        stackLimit: expected.stackLimit,
        endOfCode: "fault",
      });
      const result = machine.run(10_000_000);
      assertEquals(out, expected.output, tier);
      if (expected.fault) {
        assertEquals(result.status, "faulted", tier);
        assertStringIncludes(result.fault!.message, `fault: ${expected.fault}`, tier);
      } else assertEquals(result.status, "halted", `${tier}: ${result.fault?.message}`);
      if (tier.includes("fast")) {
        const executor = machine.executor;
        assert(executor instanceof CompilingExecutor && executor.isCompiled, `${tier} did not compile`);
      }
    }
  });
}
