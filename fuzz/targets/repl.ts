/**
 * Random REPL lines → ReplSession.handleLine(): a mix of valid and broken assembly, garbage, and `!`
 * commands with random arguments. Every line resolves (a runaway program is interrupted), never rejects,
 * and the output shows no stack trace.
 */
import { setImmediate } from "node:timers";
import { REPL_COMMANDS } from "../../src/repl/commands.ts";
import { ReplSession } from "../../src/repl/session.ts";
import { randomLine } from "../assembly.ts";
import { check, checkNoLeak, type FuzzTarget } from "../harness.ts";
import type { Random } from "../random.ts";
import { createScratchFiles, type ScratchFiles } from "../scratch_files.ts";

/** Lines per case; each case is a fresh session. */
const MAX_LINES = 8;
/**
 * A line still running after this many macrotasks (the session yields one between slices) is interrupted
 * (a line may also just be waiting for a file read); one still running this long after the interrupt fails.
 */
const INTERRUPT_AFTER_TURNS = 25;
const HARD_LIMIT_MS = 10_000;
const JUNK_ARGS = [
  "",
  "'",
  '"',
  "'a b'",
  '"x y"',
  "-1",
  "0",
  "99999999999999999999",
  "abc",
  "$1",
  "!!",
  "\t",
];

function randomCommand(random: Random, files: ScratchFiles): string {
  const name = random.chance(0.85)
    ? random.pick(REPL_COMMANDS).name
    : random.pick(["", "!", "qui", "HELP", "prog ram", "x".repeat(random.range(1, 80))]);
  const args = Array.from(
    { length: random.int(3) },
    () => random.chance(0.5) ? random.pick(files.paths) : random.pick(JUNK_ARGS),
  );
  return `${random.pick(["!", " !", "!"])}${name} ${args.join(" ")}`;
}

function randomReplLine(random: Random, files: ScratchFiles): string {
  const roll = random.next();
  if (roll < 0.45) return randomLine(random, random.chance(0.5));
  if (roll < 0.8) return randomCommand(random, files);
  if (roll < 0.9) return random.pick(["jmp $0", "load $1 #0\njmp $1", "loop_forever: djmpe @loop_forever"]);
  return String.fromCharCode(...random.bytes(random.int(30)).map((b) => b % 0x80));
}

/** True once `promise` has settled, false if it is still pending after `ms` milliseconds. */
async function settlesBefore(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), ms));
  try {
    return await Promise.race([promise.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** True once `promise` has settled, false if it is still pending after `turns` macrotasks. */
async function settlesWithin(promise: Promise<unknown>, turns: number): Promise<boolean> {
  let settled = false;
  promise.then(() => settled = true, () => settled = true);
  for (let turn = 0; turn < turns && !settled; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  return settled;
}

/** The REPL target. */
export const REPL_TARGET: FuzzTarget<ScratchFiles> = {
  name: "repl",
  property: "handleLine() always resolves, never rejects, and prints no stack trace",
  setup: createScratchFiles,
  async run(random, files) {
    let output = "";
    const session = new ReplSession({
      write: (text) => output += text,
      heapLimit: 4096,
      stackLimit: 64,
      sliceBudget: 2_000,
      services: {
        addSshKey: (path) =>
          random.chance(0.5)
            ? Promise.reject(new Error(`cannot read '${path}'`))
            : Promise.resolve("authorized"),
      },
    });
    const lines = Array.from({ length: random.range(1, MAX_LINES) }, () => randomReplLine(random, files));
    let outcome = "ok";
    for (const line of lines) {
      const handled = session.handleLine(line);
      if (!await settlesWithin(handled, INTERRUPT_AFTER_TURNS)) {
        session.interrupt();
        outcome = "interrupted";
        check(await settlesBefore(handled, HARD_LIMIT_MS), "a line never finished", lines);
      }
      let lineOutcome;
      try {
        lineOutcome = await handled;
      } catch (error) {
        check(false, `handleLine() rejected: ${(error as Error).stack ?? error}`, lines);
      }
      if (lineOutcome === "quit") {
        outcome = "quit";
        break;
      }
    }
    checkNoLeak(output, "the session's output", lines);
    return outcome;
  },
  async teardown(files) {
    await Deno.remove(files.dir, { recursive: true });
  },
};
