/**
 * cli.yml as YAML: what `deno task docs` writes into src/cli/cli_spec.json, what the CLI falls back to
 * when that snapshot is stale, and what tests use to check arbitrary specs. See src/cli/spec.ts.
 */
import { parse } from "yaml";
import CLI_YAML from "../../cli.yml" with { type: "text" };
import { checkCliSpec, type CliSnapshot, type CliSpec, textHash } from "./spec_shape.ts";

/** The YAML document in `text`, parsed. */
export function parseYaml(text: string): unknown {
  return parse(text);
}

/** Parses and checks a spec given as YAML text. */
export function loadCliSpec(text: string): CliSpec {
  return checkCliSpec(parseYaml(text));
}

/** The snapshot of this program's cli.yml, as src/cli/cli_spec.json holds it. */
export function snapshotOf(text: string = CLI_YAML): CliSnapshot {
  return { source: textHash(text), spec: parseYaml(text) };
}

if (import.meta.main) {
  const path = new URL("./cli_spec.json", import.meta.url);
  const json = `${JSON.stringify(snapshotOf(), null, 2)}\n`;
  // Written whole through a temporary file: a half-written snapshot would fail to import.
  const temporary = new URL("./cli_spec.json.tmp", import.meta.url);
  Deno.writeTextFileSync(temporary, json);
  Deno.renameSync(temporary, path);
}
