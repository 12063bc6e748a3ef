import { assert, assertEquals, assertMatch, assertThrows } from "../assert.ts";
import { parseCommandLine, UsageError } from "../../src/cli/parse.ts";
import { CLI_SPEC, textHash } from "../../src/cli/spec.ts";
import { loadCliSpec, snapshotOf } from "../../src/cli/spec_yaml.ts";
import SNAPSHOT from "../../src/cli/cli_spec.json" with { type: "json" };
import CLI_YAML from "../../cli.yml" with { type: "text" };
import { renderHelp, renderVersion } from "../../src/cli/help.ts";
import { runCli } from "../../src/cli/main.ts";
import { captureIo } from "../../src/cli/io.ts";
import { IRIDIUM_RUN_ARGS, REPO_ROOT } from "../support/cli.ts";
import { withTempDir } from "../support/temp_dir.ts";

Deno.test("parseCommandLine() applies every default declared in cli.yml", () => {
  const parsed = parseCommandLine([]);
  assertEquals(parsed.command, null);
  for (const option of CLI_SPEC.options) {
    assertEquals(parsed.options[option.long], option.value ? option.default : false, option.long);
  }
  assertEquals(parsed.positionals.FILE, undefined);
});

Deno.test("parseCommandLine() reads short and long forms, inline values and typed numbers", () => {
  const parsed = parseCommandLine([
    "-t",
    "3",
    "--enable-ssh",
    "-p",
    "2300",
    "--ssh-host=0.0.0.0",
  ]);
  assertEquals(parseCommandLine(["-t", "3", "prog.iasm"]).positionals.FILE, "prog.iasm");
  assertEquals(parsed.options.threads, 3);
  assertEquals(parsed.options["enable-ssh"], true);
  assertEquals(parsed.options["ssh-port"], 2300);
  assertEquals(parsed.options["ssh-host"], "0.0.0.0");
});

Deno.test("parseCommandLine() finds subcommands with their own options and positionals", () => {
  const asm = parseCommandLine(["asm", "a.iasm", "-o", "a.iro"]);
  assertEquals(asm.command, "asm");
  assertEquals(asm.positionals.FILE, "a.iasm");
  assertEquals(asm.options.output, "a.iro");
  const add = parseCommandLine(["--data-root-dir", "/tmp/x", "add-ssh-key", "k.pub", "--name", "alice"]);
  assertEquals(add.command, "add-ssh-key");
  assertEquals(add.options["data-root-dir"], "/tmp/x");
  assertEquals(add.options.name, "alice");
  assertEquals(add.positionals.PUB_KEY_FILE, "k.pub");
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const USAGE_ERRORS: [string[], RegExp][] = [
  [["--frobnicate"], /unknown option '--frobnicate'/],
  [["--ssh-prot", "22"], /unknown option '--ssh-prot' \(did you mean '--ssh-port'\?\)/],
  [["-x"], /unknown option '-x'/],
  [["-p"], /option '-p' needs a value \(PORT\)/],
  [["--ssh-port", "--daemon"], /option '--ssh-port' needs a value/],
  [["-p", "0"], /invalid value '0' for '--ssh-port': expected a port from 1 to 65535/],
  [["-p", "65536"], /invalid value '65536'/],
  [["-p", "http"], /invalid value 'http'/],
  [["--threads", "0"], /invalid value '0' for '--threads': expected a whole number from 1/],
  [["--threads", "-2"], /invalid value '-2' for '--threads': expected a whole number from 1 to 256/],
  [["-p", "-1"], /invalid value '-1' for '--ssh-port': expected a port/],
  [["-t", "-x"], /option '-t' needs a value \(N\)/],
  [["--threads", "1.5"], /invalid value '1.5'/],
  [["--daemon=yes"], /option '--daemon' takes no value/],
  [["asmm", "x"], /unknown command 'asmm' \(did you mean 'asm'\?\)/],
  [["add-ssh-key"], /missing required argument PUB_KEY_FILE/],
  [["remove-ssh-key"], /missing required argument NAME_OR_FINGERPRINT/],
  [["disasm", "a.iro", "b.iro"], /unexpected argument 'b.iro'/],
  [["a.iasm", "b.iasm"], /unexpected argument 'b.iasm'/],
  [["list-ssh-keys", "--output", "x"], /unknown option '--output'/],
];

for (const [argv, pattern] of USAGE_ERRORS) {
  Deno.test(`parseCommandLine() rejects ${JSON.stringify(argv)} with a clear usage error`, () => {
    const error = assertThrows(() => parseCommandLine(argv), UsageError);
    assertMatch(error.message, pattern);
  });
}

Deno.test("runCli() prints a usage error as one line with a help hint and exits 2", async () => {
  for (const [argv] of USAGE_ERRORS) {
    const io = captureIo();
    assertEquals(await runCli(argv, io), 2, JSON.stringify(argv));
    assertEquals(io.out, "");
    const lines = io.err.trimEnd().split("\n");
    assertEquals(lines.length, 1, io.err);
    assertMatch(lines[0], /^iridium: error: .* \(see 'iridium( [a-z-]+)? --help'\)$/);
  }
});

Deno.test("--help lists every option, command and default from cli.yml", async () => {
  const io = captureIo();
  assertEquals(await runCli(["--help"], io), 0);
  assertEquals(io.out, renderHelp(null));
  for (const option of CLI_SPEC.options) {
    assertMatch(io.out, new RegExp(`--${option.long}\\b`));
    if (option.short) assertMatch(io.out, new RegExp(`-${option.short}, --${option.long}`));
    if (option.value && option.default !== "") {
      assertMatch(io.out, new RegExp(`\\[default: ${option.default}\\]`));
    }
  }
  for (const command of CLI_SPEC.commands) {
    assertMatch(io.out, new RegExp(`${command.name}\\s+${escape(command.about)}`));
  }
});

Deno.test("-h after a subcommand prints that subcommand's help, even without its required arguments", async () => {
  for (const command of CLI_SPEC.commands) {
    const io = captureIo();
    assertEquals(await runCli([command.name, "-h"], io), 0);
    assertMatch(io.out, new RegExp(`^${escape(command.about)}\\n\\nUsage: iridium ${command.name}`));
    for (const option of command.options) assertMatch(io.out, new RegExp(`--${option.long}`));
    for (const p of command.positionals) assertMatch(io.out, new RegExp(p.name));
  }
});

Deno.test("--version and -V print the version from cli.yml", async () => {
  for (const flag of ["--version", "-V"]) {
    const io = captureIo();
    assertEquals(await runCli([flag], io), 0);
    assertEquals(io.out, `iridium ${CLI_SPEC.version}\n`);
    assertEquals(io.out, renderVersion());
  }
});

Deno.test("loadCliSpec() refuses a spec whose option lacks help", () => {
  assertThrows(
    () => loadCliSpec("name: x\nversion: '1'\nabout: a\nusage: u\noptions:\n  - long: y\n"),
    Error,
    "option needs long and help",
  );
});

Deno.test("src/cli/cli_spec.json is the parse of this cli.yml (else: deno task docs)", () => {
  assertEquals(SNAPSHOT, snapshotOf(), "src/cli/cli_spec.json is stale: run `npm run task -- docs`");
  assertEquals(CLI_SPEC, loadCliSpec(CLI_YAML));
});

Deno.test("textHash() tells a one-character edit of cli.yml", () => {
  assertEquals(textHash(CLI_YAML), textHash(CLI_YAML.slice()));
  assert(textHash(CLI_YAML) !== textHash(CLI_YAML.replace("port", "pert")));
  assert(textHash(CLI_YAML) !== textHash(`${CLI_YAML} `));
});

Deno.test("with a stale cli_spec.json the CLI parses cli.yml itself and prints the edited version", async () => {
  await withTempDir(async (dir) => {
    // A copy of the program whose cli.yml changed after its snapshot was written: a new version string.
    for (const path of ["main.ts", "cli.yml", "deno.json", "deno.lock", "src"]) {
      await new Deno.Command("cp", { args: ["-r", `${REPO_ROOT}${path}`, `${dir}/${path}`] }).output();
    }
    const edited = CLI_YAML.replace(`version: ${CLI_SPEC.version}`, "version: 9.9.9-stale");
    assert(edited !== CLI_YAML, "cli.yml has no plain `version:` line to edit");
    await Deno.writeTextFile(`${dir}/cli.yml`, edited);
    const run = await new Deno.Command(Deno.execPath(), {
      args: [...IRIDIUM_RUN_ARGS, "--version"],
      cwd: dir,
      env: { DENO_NO_PACKAGE_JSON: "1", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(new TextDecoder().decode(run.stdout), "iridium 9.9.9-stale\n");
    assertEquals(run.code, 0);
  });
});

Deno.test("parseCommandLine() accepts only the declared choices of an option, with a suggestion", () => {
  const spec = loadCliSpec(
    "name: t\nversion: '1'\nabout: t\nusage: t\ncommands:\n  - name: app\n    about: a\n    options:\n" +
      "      - long: restart\n        value: POLICY\n        type: string\n        choices: [always, on-fault, never]\n" +
      "        help: r\n",
  );
  assertEquals(parseCommandLine(["app", "--restart", "never"], spec).options.restart, "never");
  const error = assertThrows(() => parseCommandLine(["app", "--restart=alway"], spec), UsageError);
  assertEquals(
    error.message,
    "invalid value 'alway' for '--restart': expected one of always, on-fault, never (did you mean 'always'?)",
  );
});

Deno.test("parseCommandLine() gives every word of a variadic positional", () => {
  const parsed = parseCommandLine(["check", "a.iasm", "--json", "b.iro", "c.iasm"]);
  assertEquals(parsed.lists.FILE, ["a.iasm", "b.iro", "c.iasm"]);
  assertEquals([parsed.positionals.FILE, parsed.options.json], ["a.iasm", true]);
  assertThrows(() => parseCommandLine(["check"]), UsageError, "missing required argument FILE");
  assertThrows(
    () => parseCommandLine(["asm", "a.iasm", "b.iasm", "-o", "x.iro"]),
    UsageError,
    "unexpected argument 'b.iasm'",
  );
});
