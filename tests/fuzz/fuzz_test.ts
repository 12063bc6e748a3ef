/**
 * The short fuzz runs of the test suite: a few thousand cases per target with fixed seeds (other seeds
 * than `deno task fuzz`'s default, so the two runs cover different inputs). See fuzz/ for the targets.
 */
import { assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { check, formatReport, type FuzzTarget, runFuzz } from "../../fuzz/harness.ts";
import { FUZZ_TARGETS } from "../../fuzz/targets.ts";

/** Cases per target here: each run stays within a few seconds on a shared 2-core machine. */
const SHORT_RUN: Record<string, number> = { asm: 3000, iro: 5000, repl: 2000, cli: 2000 };
const SEED = 20_240_601;

for (const target of FUZZ_TARGETS) {
  Deno.test(`fuzz ${target.name}: ${target.property}`, async () => {
    const report = await runFuzz(target, { seed: SEED, cases: SHORT_RUN[target.name] ?? 1000 });
    assertEquals(report.failed, 0, formatReport(report));
    assertEquals(report.cases, SHORT_RUN[target.name] ?? 1000);
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
