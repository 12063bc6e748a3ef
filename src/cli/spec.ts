/**
 * The command-line specification, declared in `cli.yml`.
 *
 * `cli.yml` is imported as text so it lives inside the module graph and inside the compiled binary; it is
 * never read from a path beside the source. Parsing it needs npm:yaml, whose CommonJS build takes longer to
 * load than the rest of the CLI together (about 48 ms of `iridium hello.iasm`'s 111 ms, measured), so the
 * CLI starts from `cli_spec.json`, the parsed form written by `deno task docs` together with a hash of the
 * text it came from. Only when that hash is not the hash of this `cli.yml` (an edit without `deno task docs`)
 * is the YAML parsed at start-up; a test reports the stale snapshot.
 */
import CLI_YAML from "../../cli.yml" with { type: "text" };
import SNAPSHOT from "./cli_spec.json" with { type: "json" };
import { checkCliSpec, type CliSnapshot, type CliSpec, textHash } from "./spec_shape.ts";

export { textHash };
export type {
  CliSnapshot,
  CliSpec,
  CommandSpec,
  OptionSpec,
  PositionalSpec,
  ValueType,
} from "./spec_shape.ts";

/** The spec of this program: from the snapshot when it is the snapshot of this cli.yml. */
export const CLI_SPEC: CliSpec = checkCliSpec(
  (SNAPSHOT as CliSnapshot).source === textHash(CLI_YAML)
    ? (SNAPSHOT as CliSnapshot).spec
    : (await import("./spec_yaml.ts")).parseYaml(CLI_YAML),
);

/** The default of a global option, as declared in cli.yml. */
export function defaultOf(long: string, spec: CliSpec = CLI_SPEC): string | number | undefined {
  const all = [...spec.options, ...spec.commands.flatMap((c) => c.options)];
  return all.find((o) => o.long === long)?.default;
}
