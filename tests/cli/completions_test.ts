/**
 * Shell completions generated from cli.yml: the bash script is sourced in bash and asked for the
 * completions of prefixes; the fish script runs in fish and the zsh script is parsed by zsh (when those
 * shells are installed; CI installs them).
 * Mutations caught: a subcommand or option left out of the generated lists, a value type ignored (files
 * offered for a directory option, or nothing for a path), choices not offered, the variadic FILE of check
 * completed only once, the word after an option's value taken for a positional.
 */
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { runCli } from "../../src/cli/main.ts";
import { captureIo } from "../../src/cli/io.ts";
import { CLI_SPEC, type CliSpec } from "../../src/cli/spec.ts";
import { loadCliSpec } from "../../src/cli/spec_yaml.ts";
import { completionModel } from "../../src/cli/completions/model.ts";
import { bashCompletion } from "../../src/cli/completions/bash.ts";
import { fishCompletion } from "../../src/cli/completions/fish.ts";
import { zshCompletion } from "../../src/cli/completions/zsh.ts";
import { withTempDir } from "../support/temp_dir.ts";

/** A spec with an option that has choices, as `app deploy --restart` has. */
const CHOICES_SPEC = loadCliSpec(`
name: iridium
version: 0.0.0
about: test
usage: iridium
options:
  - long: help
    short: h
    global: true
    help: Help
commands:
  - name: app
    about: Applications
    positionals:
      - name: FILE
        type: path
        help: A file
    options:
      - long: restart
        value: POLICY
        type: string
        choices: [always, on-fault, never]
        help: Restart policy
`);

async function run(command: string, args: string[], cwd: string): Promise<string> {
  const output = await new Deno.Command(command, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assertEquals(output.code, 0, stderr);
  return new TextDecoder().decode(output.stdout);
}

async function hasShell(name: string): Promise<boolean> {
  try {
    return (await new Deno.Command(name, { args: ["-c", "exit 0"], stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

/** The bash completions of each command line (the last word is the one completed), sorted. */
async function bashComplete(lines: string[][], spec: CliSpec = CLI_SPEC): Promise<string[][]> {
  return await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/iridium.bash`, bashCompletion(completionModel(spec)));
    await Deno.mkdir(`${dir}/work/keys`, { recursive: true });
    for (const file of ["prog.iasm", "prog.iro", "key.pub"]) {
      await Deno.writeTextFile(`${dir}/work/${file}`, "");
    }
    const calls = lines.map((words) =>
      `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; ` +
      `COMPREPLY=(); _iridium; echo "\${COMPREPLY[*]}"`
    );
    const out = await run(
      "bash",
      ["--norc", "-c", `source ../iridium.bash\n${calls.join("\n")}`],
      `${dir}/work`,
    );
    return out.split("\n").slice(0, lines.length).map((line) => line.split(" ").filter(Boolean).sort());
  });
}

const longOptions = (prefix: string) =>
  CLI_SPEC.options.filter((o) => o.long.startsWith(prefix)).map((o) => `--${o.long}`).sort();

Deno.test("bash completes subcommands, options and their values from cli.yml", async () => {
  const [addPrefix, sshPrefix, shells, output, dataRoot, checkFiles, afterValue, json, firstWord] =
    await bashComplete([
      ["iridium", "add-"],
      ["iridium", "--ssh-"],
      ["iridium", "completions", ""],
      ["iridium", "asm", "prog.iasm", "-o", "pr"],
      ["iridium", "--data-root-dir", ""],
      ["iridium", "check", "prog.iasm", "pr"],
      ["iridium", "-t", "4", "--ssh-port", "22", "prog.i"],
      ["iridium", "check", "--j"],
      ["iridium", ""],
    ]);
  assertEquals(addPrefix, ["add-ssh-key"]);
  assertEquals(sshPrefix, longOptions("ssh-"));
  assert(sshPrefix.length >= 5, "cli.yml declares the --ssh-* options");
  assertEquals(shells, ["bash", "fish", "zsh"]);
  assertEquals(output, ["prog.iasm", "prog.iro"]);
  assertEquals(dataRoot, ["keys"], "a directory option completes directories only");
  assertEquals(checkFiles, ["prog.iasm", "prog.iro"], "check takes several files");
  assertEquals(afterValue, ["prog.iasm", "prog.iro"]);
  assertEquals(json, ["--json"]);
  for (const command of CLI_SPEC.commands) assert(firstWord.includes(command.name), command.name);
  assert(firstWord.includes("prog.iasm"), "the first word may be a program file");
});

Deno.test("bash completes nothing where cli.yml expects free text or no more arguments", async () => {
  const [name, port, extra] = await bashComplete([
    ["iridium", "add-ssh-key", "key.pub", "--name", ""],
    ["iridium", "--ssh-port", ""],
    ["iridium", "disasm", "prog.iro", ""],
  ]);
  assertEquals([name, port, extra], [[], [], []]);
});

Deno.test("bash completes an option's choices, also after '='", async () => {
  const [spaced, joined, file] = await bashComplete([
    ["iridium", "app", "--restart", ""],
    ["iridium", "app", "--restart", "=", "o"],
    ["iridium", "app", "--restart", "=", "never", "pr"],
  ], CHOICES_SPEC);
  assertEquals(spaced, ["always", "never", "on-fault"]);
  assertEquals(joined, ["on-fault"]);
  assertEquals(file, ["prog.iasm", "prog.iro"]);
});

Deno.test("fish completes from the generated script", async () => {
  if (!(await hasShell("fish"))) return console.warn("fish is not installed: skipped");
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/iridium.fish`, fishCompletion(completionModel()));
    await Deno.writeTextFile(`${dir}/choices.fish`, fishCompletion(completionModel(CHOICES_SPEC)));
    const ask = (file: string, line: string) =>
      `source ${file}; complete -C '${line}'; echo ---; complete -e -c iridium`;
    const out = await run("fish", [
      "--no-config",
      "-c",
      [
        ask("iridium.fish", "iridium add-"),
        ask("iridium.fish", "iridium --ssh-"),
        ask("choices.fish", "iridium app --restart "),
      ]
        .join("; "),
    ], dir);
    const [add, ssh, restart] = out.split("---\n").map((part) =>
      part.split("\n").filter(Boolean).map((l) => l.split("\t")[0])
    );
    assertEquals(add, ["add-ssh-key"]);
    assertEquals(ssh.sort(), longOptions("ssh-"));
    assertEquals(restart.sort(), ["always", "never", "on-fault"]);
  });
});

Deno.test("zsh parses the generated script", async () => {
  if (!(await hasShell("zsh"))) return console.warn("zsh is not installed: skipped");
  await withTempDir(async (dir) => {
    const script = zshCompletion(completionModel());
    await Deno.writeTextFile(`${dir}/_iridium`, script);
    await run("zsh", ["-n", `${dir}/_iridium`], dir);
    for (const command of CLI_SPEC.commands) assertStringIncludes(script, `'${command.name}:`);
    assertStringIncludes(
      zshCompletion(completionModel(CHOICES_SPEC)),
      "--restart[Restart policy]:POLICY:(always on-fault never)",
    );
  });
});

Deno.test("iridium completions prints each shell's script; --help says how to install it", async () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const io = captureIo();
    assertEquals(await runCli(["completions", shell], io), 0);
    assertStringIncludes(io.out, `generated by \`iridium completions ${shell}\``);
  }
  const help = captureIo();
  assertEquals(await runCli(["completions", "--help"], help), 0);
  for (const shell of ["bash", "zsh", "fish"]) {
    assertStringIncludes(help.out, `iridium completions ${shell} > `);
  }
  const wrong = captureIo();
  assertEquals(await runCli(["completions", "tcsh"], wrong), 2);
  assertStringIncludes(wrong.err, "invalid value 'tcsh' for SHELL: expected one of bash, zsh, fish");
});
