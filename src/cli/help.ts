/** `--help` and `--version` text, generated from the spec in cli.yml. */
import { CLI_SPEC, type CliSpec, type OptionSpec, type PositionalSpec } from "./spec.ts";
import { optionsOf } from "./parse.ts";

function optionLabel(o: OptionSpec): string {
  const short = o.short ? `-${o.short}, ` : "    ";
  return `${short}--${o.long}${o.value ? ` <${o.value}>` : ""}`;
}

function optionHelp(o: OptionSpec): string {
  const hasDefault = o.value && o.default !== undefined && o.default !== "" && !o.required;
  const help = o.choices ? `${o.help} (${o.choices.join(", ")})` : o.help;
  return hasDefault ? `${help} [default: ${o.default}]` : help;
}

function table(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

/** `<NAME>` when required, else `[NAME]`; `...` after a variadic one. */
function positionalLabel(p: PositionalSpec): string {
  return `${p.required ? `<${p.name}>` : `[${p.name}]`}${p.variadic ? "..." : ""}`;
}

function positionalRows(list: PositionalSpec[]): [string, string][] {
  return list.map((p) => [positionalLabel(p), p.choices ? `${p.help} (${p.choices.join(", ")})` : p.help]);
}

/** The help text for the program (command null) or for one subcommand. */
export function renderHelp(command: string | null, spec: CliSpec = CLI_SPEC): string {
  const lines: string[] = [];
  const cmd = spec.commands.find((c) => c.name === command);
  if (!cmd) {
    lines.push(`${spec.name} ${spec.version}`, spec.about, "", `Usage: ${spec.usage}`, "");
    lines.push("Arguments:", ...table(positionalRows(spec.positionals)), "");
    lines.push("Commands:", ...table(spec.commands.map((c) => [c.name, c.about])), "");
    lines.push("Options:", ...table(spec.options.map((o) => [optionLabel(o), optionHelp(o)])), "");
    lines.push(`Run '${spec.name} <COMMAND> --help' for a command's own options.`);
  } else {
    const words = cmd.positionals.map(positionalLabel);
    const required = cmd.options.filter((o) => o.required).map((o) => `--${o.long} <${o.value}>`);
    lines.push(
      cmd.about,
      "",
      `Usage: ${[spec.name, cmd.name, ...words, ...required, "[OPTIONS]"].join(" ")}`,
      "",
    );
    if (cmd.positionals.length) lines.push("Arguments:", ...table(positionalRows(cmd.positionals)), "");
    const options = optionsOf(cmd, spec);
    lines.push("Options:", ...table(options.map((o) => [optionLabel(o), optionHelp(o)])));
    if (cmd.details) lines.push("", cmd.details);
  }
  return lines.join("\n") + "\n";
}

/** The `--version` line. */
export function renderVersion(spec: CliSpec = CLI_SPEC): string {
  return `${spec.name} ${spec.version}\n`;
}
