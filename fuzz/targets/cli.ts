/**
 * Random argument vectors → runCli(argv, captureIo()): the status is 0, 1 or 2, a usage error is one
 * `iridium: error: ...` line, a failure says something, and no output shows a stack trace. Vectors that
 * would start the REPL or the SSH server get a program FILE; ones that would write outside the scratch
 * directory are skipped (counted as "skipped").
 */
import { join } from "node:path";
import { runCli } from "../../src/cli/main.ts";
import { captureIo } from "../../src/cli/io.ts";
import { parseCommandLine, UsageError } from "../../src/cli/parse.ts";
import { CLI_SPEC } from "../../src/cli/spec.ts";
import { check, checkNoLeak, type FuzzTarget } from "../harness.ts";
import type { Random } from "../random.ts";
import { createScratchFiles, type ScratchFiles } from "../scratch_files.ts";
import { generateUsableKeyPair } from "../ssh_keys.ts";

interface CliContext extends ScratchFiles {
  dataRoot: string;
  programs: string[];
  values: string[];
}

const OPTIONS = [...CLI_SPEC.options, ...CLI_SPEC.commands.flatMap((c) => c.options)];
const COMMANDS = CLI_SPEC.commands.map((c) => c.name);
const JUNK = [
  "--",
  "-",
  "---x",
  "--HELP",
  "-hV",
  "-Vh",
  "=",
  "--=",
  "-?",
  "--no-daemon",
  "x",
  "",
  " ",
  "\u0000",
  "é",
];
const NUMBERS = [
  "0",
  "1",
  "63",
  "64",
  "65",
  "4096",
  "65535",
  "65536",
  "-1",
  "1e3",
  "0x10",
  "abc",
  "99999999999999999999",
];
const USAGE_LINE = /^iridium: error: .+ \(see 'iridium( [a-z-]+)? --help'\)\n$/s;

function randomToken(random: Random, context: CliContext): string {
  const roll = random.next();
  if (roll < 0.35) {
    const option = random.pick(OPTIONS);
    const value = random.pick(context.values);
    if (option.short && random.chance(0.3)) {
      return random.chance(0.2) ? `-${option.short}${value}` : `-${option.short}`;
    }
    return random.chance(0.2) && option.value ? `--${option.long}=${value}` : `--${option.long}`;
  }
  if (roll < 0.6) return random.pick(context.values);
  if (roll < 0.75) return random.pick(COMMANDS);
  if (roll < 0.9) return random.pick(context.programs);
  return random.pick(JUNK);
}

/** Parses argv as the CLI will; undefined for a usage error. */
function parsed(argv: string[]) {
  try {
    return parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return undefined;
    throw error;
  }
}

/** argv made safe to run in-process, or null to skip it. */
function safeArgv(random: Random, argv: string[], context: CliContext): string[] | null {
  let args = parsed(argv);
  if (!args) return argv;
  const wantsOut = args.options.help || args.options.version;
  if (!args.command && !args.positionals.FILE && !wantsOut) {
    argv = [...argv, random.pick(context.programs)];
    args = parsed(argv);
    if (!args) return argv;
    if (!args.positionals.FILE && !args.options.help && !args.options.version) return null;
  }
  if (args.command && !args.options["data-root-dir"] && !args.options.help && !args.options.version) {
    argv = [...argv, "--data-root-dir", context.dataRoot];
    args = parsed(argv);
    if (!args) return argv;
  }
  const inside = (value: unknown) =>
    value === undefined || value === "" || String(value).startsWith(context.dir);
  if (!inside(args.options["data-root-dir"]) || !inside(args.options.output)) return null;
  return argv;
}

/** The CLI target. */
export const CLI_TARGET: FuzzTarget<CliContext> = {
  name: "cli",
  property: "runCli() resolves to 0, 1 or 2; usage errors are one line; no stack trace in any output",
  async setup() {
    const files = await createScratchFiles();
    const pair = generateUsableKeyPair("fuzz@test");
    const keyPath = join(files.dir, "key.pub");
    await Deno.writeTextFile(keyPath, `${pair.public}\n`);
    await Deno.writeTextFile(join(files.dir, "not_a_key.pub"), "ssh-ed25519 AAAA!!!! nope\n");
    const dataRoot = join(files.dir, "root");
    const paths = [...files.paths, keyPath, join(files.dir, "not_a_key.pub"), join(files.dir, "out.iro")];
    return {
      ...files,
      dataRoot,
      programs: files.paths.filter((p) => /\.(iasm|iro)$/.test(p)),
      values: [...NUMBERS, ...paths, dataRoot, "fuzz@test", "SHA256:nope", "name with spaces"],
    };
  },
  async run(random, context) {
    const raw = Array.from({ length: random.int(7) }, () => randomToken(random, context));
    const argv = safeArgv(random, raw, context);
    if (!argv) return "skipped";
    const io = captureIo();
    let status: number;
    try {
      status = await runCli(argv, io);
    } catch (error) {
      check(false, `runCli() threw ${(error as Error).stack ?? error}`, argv);
    }
    checkNoLeak(io.out + io.err, "the output", argv);
    check([0, 1, 2].includes(status), `exit status ${status}`, argv);
    if (status === 2) {
      check(USAGE_LINE.test(io.err), `usage error not one line: ${JSON.stringify(io.err)}`, argv);
    }
    if (status === 1) check(io.err.trim() !== "", "status 1 without a message", argv);
    return `exit ${status}`;
  },
  async teardown(context) {
    await Deno.remove(context.dir, { recursive: true });
  },
};
