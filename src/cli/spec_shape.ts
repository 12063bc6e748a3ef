/**
 * The shape of the command-line specification (cli.yml) and its check, apart from where the spec comes
 * from (src/cli/spec.ts) so that src/cli/spec_yaml.ts can use them without importing the spec itself.
 */

/** Kinds of option values; each has one validator in parse.ts. */
export type ValueType = "string" | "integer" | "port" | "path" | "directory";

/** One flag or option. A flag without `value` is a switch. */
export interface OptionSpec {
  long: string;
  short?: string;
  value?: string;
  type?: ValueType;
  min?: number;
  max?: number;
  default?: string | number;
  /** The only values accepted, for a value with a fixed set (parsing checks them, completions offer them). */
  choices?: string[];
  required?: boolean;
  /** A top-level option that every subcommand accepts too (e.g. --data-root-dir, --help). */
  global?: boolean;
  /** Positionals this option cannot be given with (e.g. --daemon with FILE). */
  conflicts?: string[];
  help: string;
}

/** One positional argument. */
export interface PositionalSpec {
  name: string;
  required?: boolean;
  /** `path` when the argument names a file (shell completions then offer file names). */
  type?: ValueType;
  /** The only values accepted. */
  choices?: string[];
  /** The last positional may take one or more words (`FILE...`). */
  variadic?: boolean;
  help: string;
}

/** A subcommand: its own positionals and options, plus the program's global ones. */
export interface CommandSpec {
  name: string;
  about: string;
  positionals: PositionalSpec[];
  options: OptionSpec[];
  /** Text printed at the end of the command's --help (e.g. how to install what it prints). */
  details?: string;
}

/** The whole command line. */
export interface CliSpec {
  name: string;
  version: string;
  about: string;
  usage: string;
  positionals: PositionalSpec[];
  options: OptionSpec[];
  commands: CommandSpec[];
}

/** The snapshot file: the parsed `cli.yml` and the hash of its text (see textHash()). */
export interface CliSnapshot {
  source: string;
  spec: unknown;
}

/** FNV-1a over the UTF-16 code units of `text`, as 8 hex digits: tells whether cli.yml changed. */
export function textHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/** A missing choices field, or a non-empty list of words. */
function isChoices(choices: unknown): boolean {
  return choices === undefined ||
    (Array.isArray(choices) && choices.length > 0 &&
      choices.every((c) => typeof c === "string" && /^\S+$/.test(c)));
}

/** Checks the parsed YAML has the shape the parser relies on, so a typo in cli.yml fails loudly in tests. */
export function checkCliSpec(parsed: unknown): CliSpec {
  const raw = parsed as Record<string, unknown>;
  const need = (cond: unknown, what: string) => {
    if (!cond) throw new Error(`cli.yml: ${what}`);
  };
  need(raw && typeof raw === "object", "expected a mapping at the top level");
  for (const key of ["name", "version", "about", "usage"]) {
    need(typeof raw[key] === "string", `expected a string '${key}'`);
  }
  const options = (list: unknown, where: string): OptionSpec[] => {
    const items = (list ?? []) as OptionSpec[];
    need(Array.isArray(items), `${where}: options must be a list`);
    for (const o of items) {
      need(typeof o.long === "string" && typeof o.help === "string", `${where}: option needs long and help`);
      need(
        o.short === undefined || /^[A-Za-z]$/.test(o.short),
        `${where}: short of '${o.long}' is one letter`,
      );
      need(
        o.value === undefined || o.type !== undefined,
        `${where}: option '${o.long}' with a value needs a type`,
      );
      need(isChoices(o.choices), `${where}: choices of '${o.long}' are a list of words`);
      need(o.choices === undefined || o.value !== undefined, `${where}: switch '${o.long}' has no choices`);
    }
    return items;
  };
  const positionals = (list: unknown, where: string): PositionalSpec[] => {
    const items = (list ?? []) as PositionalSpec[];
    need(Array.isArray(items), `${where}: positionals must be a list`);
    for (const [i, p] of items.entries()) {
      need(typeof p.name === "string", `${where}: positional needs a name`);
      need(isChoices(p.choices), `${where}: choices of '${p.name}' are a list of words`);
      need(!p.variadic || i === items.length - 1, `${where}: only the last positional may be variadic`);
    }
    return items;
  };
  const commands = ((raw.commands ?? []) as CommandSpec[]).map((c) => {
    need(typeof c.name === "string" && typeof c.about === "string", "a command needs name and about");
    return {
      name: c.name,
      about: c.about,
      positionals: positionals(c.positionals, c.name),
      options: options(c.options, c.name),
      ...(typeof c.details === "string" ? { details: c.details } : {}),
    };
  });
  return {
    name: raw.name as string,
    version: raw.version as string,
    about: raw.about as string,
    usage: raw.usage as string,
    positionals: positionals(raw.positionals, "top level"),
    options: options(raw.options, "top level"),
    commands,
  };
}
