/**
 * The short fuzz runs of the test suite: a few thousand cases per target with fixed seeds (other seeds
 * than `deno task fuzz`'s default, so the two runs cover different inputs). See fuzz/ for the targets.
 *
 * Mutations caught: a target whose property check is removed still runs, but a generator that stops
 * reaching some outcome (say, no accepted program ever halts, or every CLI vector is a usage error) fails
 * the outcome mix, which every target must reach in at least 0.5% of its cases.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { check, formatReport, type FuzzTarget, runFuzz } from "../../fuzz/harness.ts";
import { FUZZ_TARGETS } from "../../fuzz/targets.ts";

/** Cases per target here: each run stays within a few seconds on a shared 2-core machine. */
const SHORT_RUN: Record<string, number> = { asm: 3000, iro: 5000, repl: 2000, cli: 2000 };
const SEED = 20_240_601;

/** The outcomes each target's inputs must reach: a fuzzer that stops reaching one tests less than it says. */
const OUTCOMES: Record<string, string[]> = {
  asm: ["rejected", "halted", "faulted", "budget"],
  iro: ["rejected", "halted", "faulted", "budget"],
  repl: ["ok", "interrupted", "quit"],
  cli: ["exit 0", "exit 1", "exit 2"],
};

for (const target of FUZZ_TARGETS) {
  Deno.test(`fuzz ${target.name}: ${target.property}`, async () => {
    const report = await runFuzz(target, { seed: SEED, cases: SHORT_RUN[target.name] ?? 1000 });
    assertEquals(report.failed, 0, formatReport(report));
    assertEquals(report.cases, SHORT_RUN[target.name] ?? 1000);
    for (const outcome of OUTCOMES[target.name] ?? []) {
      const count = report.outcomes[outcome] ?? 0;
      assert(count >= report.cases / 200, `'${outcome}' in ${count} of ${report.cases} cases`);
    }
  });
}

Deno.test("runFuzz() reports a failing case with the seed and command that replay it", async () => {
  const seen: number[] = [];
  const flaky: FuzzTarget<null> = {
    name: "flaky",
    property: "fails on every third case",
    setup: () => Promise.resolve(null),
    run(random) {
      const value = random.next();
      seen.push(value);
      if (seen.length % 3 === 0) check(false, "the third case", value);
      if (seen.length === 5) throw new TypeError("an escaped exception");
    },
    teardown: () => Promise.resolve(),
  };
  const report = await runFuzz(flaky, { seed: 7, cases: 6 });
  assertEquals(report.cases, 6);
  assertEquals(report.failed, 3);
  assertEquals(report.failures.map((f) => f.index), [2, 4, 5]);
  const text = formatReport(report);
  assertStringIncludes(text, "flaky: 6 cases, 3 failures, seed 7");
  assertStringIncludes(text, "deno task fuzz --target flaky --seed 7 --case 4");
  assertMatch(report.failures[1].message, /^threw TypeError: an escaped exception/);
  // Replaying one case draws the same values as it drew within the whole run.
  const replay = await runFuzz(flaky, { seed: 7, cases: 6, only: 2 });
  assertEquals(replay.cases, 1);
  assertEquals(seen.at(-1), seen[2]);
});
