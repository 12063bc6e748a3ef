/**
 * The top-level command (docs/cli.md): `iridium FILE` runs a program in the foreground (src/cli/run_file.ts);
 * `iridium` alone starts the REPL, with SSH beside it or alone (src/cli/repl_command.ts).
 *
 * Each side is loaded only when asked: the REPL side brings in node:process, node:readline, the REPL and
 * the worker pool, which took about 15 ms of every `iridium FILE` start when they were loaded with it.
 */
import type { CommandHandler } from "./command_handler.ts";

/** The top-level command: FILE runs it, no FILE starts the REPL side. */
export const runTopLevel: CommandHandler = async (args, io) => {
  const file = args.positionals.FILE;
  if (file !== undefined) return await (await import("./run_file.ts")).runProgramFile(file, args, io);
  return await (await import("./repl_command.ts")).runRepl(args, io);
};
