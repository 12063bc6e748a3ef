/**
 * Command-line parsing built on `node:util` parseArgs, driven entirely by the spec from cli.yml.
 */
import { parseArgs } from "node:util";
import { CLI_SPEC, type CliSpec, type CommandSpec, type OptionSpec, type PositionalSpec } from "./spec.ts";
import { didYouMean, suggestName } from "../util/suggest.ts";

/** A value after parsing: numbers for integer and port options, booleans for switches. */
export type OptionValue = string | number | boolean | undefined;

/** The result of parsing argv. `command` is null for the top-level command (REPL or FILE). */
export interface ParsedCommandLine {
  command: string | null;
  options: Record<string, OptionValue>;
  positionals: Record<string, string | undefined>;
  /** Every word of a variadic positional (`check FILE...`), keyed by its name; its first is in positionals. */
  lists: Record<string, string[]>;
}

/** A mistake in the command line; the CLI prints it as one line and exits with status 2. */
export class UsageError extends Error {
  constructor(message: string, readonly command: string | null) {
    super(message);
    this.name = "UsageError";
  }
}

type ParseArgsOptions = Record<string, { type: "string" | "boolean"; short?: string }>;

function toParseArgsOptions(options: OptionSpec[]): ParseArgsOptions {
  const config: ParseArgsOptions = {};
  for (const o of options) {
    config[o.long] = { type: o.value ? "string" : "boolean", ...(o.short ? { short: o.short } : {}) };
  }
  return config;
}

/** The options a command accepts: its own plus the program's `global` ones; the top level has its own. */
export function optionsOf(command: CommandSpec | null, spec: CliSpec = CLI_SPEC): OptionSpec[] {
  return command ? [...command.options, ...spec.options.filter((o) => o.global)] : spec.options;
}

function convertValue(option: OptionSpec, text: string, command: string | null): string | number {
  const flag = `--${option.long}`;
  // A word default (`--threads auto`) may also be given explicitly.
  if (typeof option.default === "string" && option.default !== "" && text === option.default) return text;
  switch (option.type) {
    case "integer":
    case "port": {
      const min = option.type === "port" ? 1 : option.min ?? -Infinity;
      const max = option.type === "port" ? 65535 : option.max ?? Infinity;
      if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) {
        const what = option.type === "port" ? "a port" : "a whole number";
        throw new UsageError(
          `invalid value '${text}' for '${flag}': expected ${what} from ${min} to ${max}`,
          command,
        );
      }
      return Number(text);
    }
    case "path":
    case "directory":
    case "string":
    default:
      if (text === "") {
        throw new UsageError(`invalid value for '${flag}': expected a non-empty ${option.value}`, command);
      }
      checkChoice(option.choices, text, `'${flag}'`, command);
      return text;
  }
}

/** Throws a UsageError when `choices` is given and `text` is not one of them. */
function checkChoice(
  choices: string[] | undefined,
  text: string,
  what: string,
  command: string | null,
): void {
  if (!choices || choices.includes(text)) return;
  const hint = suggestName(text, choices);
  throw new UsageError(
    `invalid value '${text}' for ${what}: expected one of ${choices.join(", ")}${didYouMean(hint)}`,
    command,
  );
}

function unknownOption(rawName: string, accepted: OptionSpec[], command: string | null): UsageError {
  const hint = rawName.startsWith("--")
    ? suggestName(rawName.slice(2), accepted.map((o) => o.long))
    : undefined;
  return new UsageError(`unknown option '${rawName}'${didYouMean(hint, (name) => `--${name}`)}`, command);
}

/**
 * Parses argv into a command, options and positionals, applying the defaults from cli.yml.
 * Throws UsageError for anything the spec does not allow; `--help` and `--version` skip required checks.
 */
export function parseCommandLine(argv: string[], spec: CliSpec = CLI_SPEC): ParsedCommandLine {
  // First pass, with every option any command knows, only to find which command argv names.
  const everyOption = [...spec.options, ...spec.commands.flatMap((c) => c.options)];
  const firstPass = parseArgs({
    args: argv,
    options: toParseArgsOptions(everyOption),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const known = new Set(everyOption.map((o) => o.long));
  const unknown = firstPass.tokens.find((t) => t.kind === "option" && !known.has(t.name));
  if (unknown?.kind === "option") throw unknownOption(unknown.rawName, spec.options, null);
  const firstWord = firstPass.tokens.find((t) => t.kind === "positional");
  const command = spec.commands.find((c) => c.name === firstWord?.value) ?? null;
  const commandName = command?.name ?? null;
  // A word with a dot or a slash, or `-` (standard input), is a file to run, not a mistyped command.
  if (!command && firstWord && firstWord.value !== "-" && !/[./\\]/.test(firstWord.value)) {
    const hint = suggestName(firstWord.value, spec.commands.map((c) => c.name));
    throw new UsageError(
      `unknown command '${firstWord.value}'${didYouMean(hint)}; ` +
        `to run a file, give its path, e.g. './${firstWord.value}'`,
      null,
    );
  }

  const accepted = optionsOf(command, spec);
  const byLong = new Map(accepted.map((o) => [o.long, o]));
  const { tokens } = parseArgs({
    args: argv,
    options: toParseArgsOptions(accepted),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  const options: Record<string, OptionValue> = {};
  const words: string[] = [];
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      words.push(token.value);
      continue;
    }
    const option = byLong.get(token.name);
    if (!option) throw unknownOption(token.rawName, accepted, commandName);
    if (!option.value) {
      if (token.inlineValue) throw new UsageError(`option '${token.rawName}' takes no value`, commandName);
      options[option.long] = true;
      continue;
    }
    const text = token.value;
    // A word after the option that looks like another option is not taken as its value; a negative
    // number is (`--threads -1`), so that its message says the value is invalid, not missing.
    const looksLikeOption = text !== undefined && /^-[^0-9]/.test(text);
    if (text === undefined || (!token.inlineValue && looksLikeOption)) {
      throw new UsageError(`option '${token.rawName}' needs a value (${option.value})`, commandName);
    }
    options[option.long] = convertValue(option, text, commandName);
  }

  if (command) words.shift(); // the command's own name
  const wantsOut = options.help === true || options.version === true;
  const declared: PositionalSpec[] = command ? command.positionals : spec.positionals;
  const variadic = declared.at(-1)?.variadic === true;
  if (words.length > declared.length && !variadic) {
    throw new UsageError(`unexpected argument '${words[declared.length]}'`, commandName);
  }
  const positionals: Record<string, string | undefined> = {};
  const lists: Record<string, string[]> = {};
  declared.forEach((p, i) => {
    positionals[p.name] = words[i];
    if (p.required && words[i] === undefined && !wantsOut) {
      throw new UsageError(`missing required argument ${p.name}`, commandName);
    }
    const given = p.variadic ? words.slice(i) : words.slice(i, i + 1);
    for (const word of given) checkChoice(p.choices, word, p.name, commandName);
    if (p.variadic) lists[p.name] = given;
  });

  for (const option of accepted) {
    const given = options[option.long] !== undefined && options[option.long] !== false;
    const clash = option.conflicts?.find((name) => positionals[name] !== undefined);
    if (given && clash) throw new UsageError(`'--${option.long}' cannot be used with ${clash}`, commandName);
  }
  for (const option of accepted) {
    if (options[option.long] !== undefined) continue;
    if (option.required && !wantsOut) {
      throw new UsageError(`missing required option '--${option.long} ${option.value}'`, commandName);
    }
    options[option.long] = option.value ? option.default : false;
  }
  return { command: commandName, options, positionals, lists };
}
