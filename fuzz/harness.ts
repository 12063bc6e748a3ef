/**
 * One harness for every fuzz target: run N cases from a seed, catch whatever a case throws, and report
 * each failure with the seed and index that reproduce it. `deno test` runs a few thousand cases per
 * target (tests/fuzz/); `deno task fuzz` runs 100,000 (fuzz/run.ts).
 */
import { caseSeed, Random } from "./random.ts";

/** A fuzz target: `setup` once, then `run` once per case with that case's own generator. */
export interface FuzzTarget<Context = unknown> {
  readonly name: string;
  /** What the target checks, one line, for the runner's report. */
  readonly property: string;
  setup(): Promise<Context>;
  /**
   * One case; throws (a FuzzFailure or anything else) when the property does not hold. May name how the
   * case ended (e.g. "rejected", "halted"), so the report shows what the inputs reached.
   */
  run(random: Random, context: Context): string | void | Promise<string | void>;
  teardown(context: Context): Promise<void>;
}

/** A property violated by a case; the message says which and shows the input. */
export class FuzzFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FuzzFailure";
  }
}

/** One failing case: how to run it again, and what went wrong. */
export interface CaseFailure {
  index: number;
  seed: number;
  message: string;
}

/** The outcome of a run. */
export interface FuzzReport {
  target: string;
  seed: number;
  cases: number;
  /** Failing cases in all; `failures` keeps the first few. */
  failed: number;
  failures: CaseFailure[];
  /** How many cases ended each way, as the target named it. */
  outcomes: Record<string, number>;
  ms: number;
}

/** How a run goes: the run's seed, how many cases, and which ones (`only` replays one index). */
export interface FuzzOptions {
  seed: number;
  cases: number;
  /** Stop collecting after this many failures (the count of cases run is still exact). Default 20. */
  maxFailures?: number;
  only?: number;
}

/** Runs `options.cases` cases of `target`; never throws for a failing case. */
export async function runFuzz<C>(target: FuzzTarget<C>, options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const context = await target.setup();
  const failures: CaseFailure[] = [];
  let cases = 0, failed = 0;
  const outcomes: Record<string, number> = {};
  try {
    const first = options.only ?? 0;
    const end = options.only === undefined ? options.cases : options.only + 1;
    for (let index = first; index < end; index++) {
      const seed = caseSeed(options.seed, index);
      cases++;
      try {
        const outcome = await target.run(new Random(seed), context);
        if (outcome) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      } catch (error) {
        const message = error instanceof FuzzFailure
          ? error.message
          : `threw ${error instanceof Error ? error.stack ?? error.message : String(error)}`;
        failed++;
        if (failures.length < (options.maxFailures ?? 20)) failures.push({ index, seed, message });
      }
    }
  } finally {
    await target.teardown(context);
  }
  return {
    target: target.name,
    seed: options.seed,
    cases,
    failed,
    failures,
    outcomes,
    ms: performance.now() - started,
  };
}

/** The report as text: one summary line, then each failure with the command that replays it. */
export function formatReport(report: FuzzReport): string {
  const head = `${report.target}: ${report.cases} cases, ${report.failed} failures, seed ${report.seed}` +
    ` (${(report.ms / 1000).toFixed(1)} s)`;
  const outcomes = Object.entries(report.outcomes).sort().map(([name, count]) => `${name} ${count}`).join(
    ", ",
  );
  const lines = report.failures.map((f) =>
    `  case ${f.index}: ${f.message}\n  replay: deno task fuzz --target ${report.target} --seed ${report.seed} --case ${f.index}`
  );
  return [outcomes ? `${head}: ${outcomes}` : head, ...lines].join("\n");
}

/** Throws a FuzzFailure unless `condition` holds. */
export function check(condition: unknown, message: string, input?: unknown): asserts condition {
  if (!condition) {
    throw new FuzzFailure(input === undefined ? message : `${message}\n    input: ${show(input)}`);
  }
}

/** A compact, escaped form of an input for failure messages. */
export function show(value: unknown): string {
  const text = value instanceof Uint8Array
    ? `bytes [${[...value].join(",")}]`
    : JSON.stringify(value, (_, v) => v instanceof Uint8Array ? [...v] : v);
  return text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} chars)` : text;
}

/**
 * Signs of an exception that escaped into text meant for users: a stack frame (`    at f (file:1:2)`),
 * an error class name, a stringified object or `undefined`. Text the input itself holds is not counted,
 * since diagnostics echo the source line.
 */
const LEAKS = [
  /^\s+at .*:\d+:\d+\)?$/m,
  /\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/,
  /\[object \w+\]/,
  /\bundefined\b(?! label)/,
];

/** Throws a FuzzFailure if `text` (output meant for a user) shows a stack trace or a leaked JS value. */
export function checkNoLeak(text: string, where: string, input: unknown): void {
  const source = typeof input === "string" ? input : show(input);
  for (const pattern of LEAKS) {
    const match = pattern.exec(text)?.[0];
    if (match && !source.includes(match.trim())) {
      check(false, `${where} shows ${JSON.stringify(match)}: ${JSON.stringify(text.slice(0, 600))}`, input);
    }
  }
}
