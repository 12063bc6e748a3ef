/** Iridium's entry point: hand argv to the CLI and exit with its status. */
import { runCli } from "./src/cli/main.ts";

Deno.exit(await runCli(Deno.args));
