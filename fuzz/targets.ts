/** Every fuzz target, by the name `deno task fuzz --target NAME` takes. */
import type { FuzzTarget } from "./harness.ts";
import { ASSEMBLER_TARGET } from "./targets/assembler.ts";
import { CLI_TARGET } from "./targets/cli.ts";
import { IRO_TARGET } from "./targets/iro.ts";
import { REPL_TARGET } from "./targets/repl.ts";

/** The targets in the order the runner runs them. */
export const FUZZ_TARGETS: readonly FuzzTarget<never>[] = [
  ASSEMBLER_TARGET,
  IRO_TARGET,
  REPL_TARGET,
  CLI_TARGET,
] as FuzzTarget<never>[];
