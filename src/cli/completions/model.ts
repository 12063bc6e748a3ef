/**
 * What a shell completes for `iridium`, derived from the spec in cli.yml: each command's options and
 * positionals, and for each value whether it is one of a fixed set, a file, a directory or free text.
 * The bash, zsh and fish generators only translate this model; nothing in them names a flag.
 */
import { CLI_SPEC, type CliSpec, type OptionSpec, type PositionalSpec, type ValueType } from "../spec.ts";
import { optionsOf } from "../parse.ts";

/** How one value completes. */
export type ValueCompletion =
  | { kind: "choices"; words: string[] }
  | { kind: "file" }
  | { kind: "directory" }
  | { kind: "text" };

/** One option as completions see it; `value` is absent for a switch. */
export interface CompletionOption {
  long: string;
  short?: string;
  help: string;
  value?: ValueCompletion;
  /** Its placeholder (`N`, `DIR`), for shells that show one. */
  placeholder?: string;
}

/** One positional argument. */
export interface CompletionPositional {
  name: string;
  help: string;
  value: ValueCompletion;
  variadic: boolean;
}

/** The top level (name "") or one subcommand. */
export interface CompletionCommand {
  name: string;
  about: string;
  options: CompletionOption[];
  positionals: CompletionPositional[];
}

/** The whole command line for completion: the top level first, then every subcommand. */
export interface CompletionModel {
  program: string;
  commands: CompletionCommand[];
}

function valueOf(type: ValueType | undefined, choices: string[] | undefined): ValueCompletion {
  if (choices) return { kind: "choices", words: choices };
  if (type === "path") return { kind: "file" };
  if (type === "directory") return { kind: "directory" };
  return { kind: "text" };
}

function optionOf(o: OptionSpec): CompletionOption {
  const value = o.value ? valueOf(o.type, o.choices) : undefined;
  return {
    long: o.long,
    ...(o.short ? { short: o.short } : {}),
    help: o.help,
    ...(value ? { value, placeholder: o.value } : {}),
  };
}

function positionalOf(p: PositionalSpec): CompletionPositional {
  return { name: p.name, help: p.help, value: valueOf(p.type, p.choices), variadic: p.variadic === true };
}

/** The completion model of `spec`. */
export function completionModel(spec: CliSpec = CLI_SPEC): CompletionModel {
  const top: CompletionCommand = {
    name: "",
    about: spec.about,
    options: optionsOf(null, spec).map(optionOf),
    positionals: spec.positionals.map(positionalOf),
  };
  const commands = spec.commands.map((c) => ({
    name: c.name,
    about: c.about,
    options: optionsOf(c, spec).map(optionOf),
    positionals: c.positionals.map(positionalOf),
  }));
  return { program: spec.name, commands: [top, ...commands] };
}

/** The words that name an option on the command line: `--long`, and `-s` when it has one. */
export function optionWords(o: CompletionOption): string[] {
  return o.short ? [`--${o.long}`, `-${o.short}`] : [`--${o.long}`];
}
