/**
 * The long fuzz run: `deno task fuzz [--cases N] [--seed S] [--target NAME] [--case I]`. Prints, per
 * target, the cases run, how they ended and the failures, each with the command that replays it; exits 1
 * if any case failed. Defaults: 100,000 cases per target, seed 1 (the test suite uses other seeds).
 */
import { parseArgs } from "node:util";
import { formatReport, runFuzz } from "./harness.ts";
import { FUZZ_TARGETS } from "./targets.ts";

const USAGE = "usage: deno task fuzz [--cases N] [--seed S] [--target NAME] [--case I]";

function integer(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  if (!/^-?[0-9]+$/.test(text)) {
    throw new Error(`invalid value '${text}' for '--${name}': expected an integer`);
  }
  return Number(text);
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: "string" },
      seed: { type: "string" },
      target: { type: "string" },
      case: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(`${USAGE}\ntargets: ${FUZZ_TARGETS.map((t) => `${t.name} (${t.property})`).join("\n  ")}`);
    return 0;
  }
  const cases = integer(values.cases, 100_000, "cases");
  const seed = integer(values.seed, 1, "seed");
  const only = values.case === undefined ? undefined : integer(values.case, 0, "case");
  const targets = FUZZ_TARGETS.filter((t) => values.target === undefined || t.name === values.target);
  if (targets.length === 0) {
    throw new Error(
      `unknown target '${values.target}': expected one of ${FUZZ_TARGETS.map((t) => t.name).join(", ")}`,
    );
  }
  let failed = 0;
  for (const target of targets) {
    const report = await runFuzz(target, { seed, cases, only, maxFailures: 10 });
    console.log(formatReport(report));
    failed += report.failed;
  }
  return failed > 0 ? 1 : 0;
}

try {
  Deno.exit(await main(Deno.args));
} catch (error) {
  console.error(`fuzz: error: ${error instanceof Error ? error.message : error}\n${USAGE}`);
  Deno.exit(2);
}
