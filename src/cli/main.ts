/** The command-line entry: parse argv against cli.yml, then hand over to the command's handler. */
import { COMMAND_HANDLERS } from "./commands.ts";
import { renderHelp, renderVersion } from "./help.ts";
import { type CliIo, PROCESS_IO, StdoutClosedError } from "./io.ts";
import { parseCommandLine, UsageError } from "./parse.ts";
import { CLI_SPEC } from "./spec.ts";
import { isOsError, osErrorReason } from "../util/os_error.ts";
import { errorLine, EXIT_FAILURE, EXIT_OK, EXIT_STDOUT_CLOSED, EXIT_USAGE } from "./messages.ts";

/** Runs the CLI on argv and resolves to the exit status. Never throws: an unexpected error is one line. */
export async function runCli(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  let args;
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const helpCommand = [CLI_SPEC.name, error.command, "--help"].filter(Boolean).join(" ");
    io.stderr(errorLine(`${error.message} (see '${helpCommand}')`));
    return EXIT_USAGE;
  }
  if (args.options.help) {
    io.stdout(renderHelp(args.command));
    return EXIT_OK;
  }
  if (args.options.version) {
    io.stdout(renderVersion());
    return EXIT_OK;
  }
  try {
    const handler = await COMMAND_HANDLERS[args.command ?? ""]();
    return await handler(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(errorLine(`${error.message} (see '${CLI_SPEC.name} ${error.command} --help')`));
      return EXIT_USAGE;
    }
    if (error instanceof StdoutClosedError) return EXIT_STDOUT_CLOSED;
    // An OS error that reached here names no path; at least it is said in our words.
    const message = isOsError(error)
      ? osErrorReason(error)
      : error instanceof Error
      ? error.message
      : String(error);
    io.stderr(errorLine(message));
    if (Deno.env.get("IRIDIUM_DEBUG") && error instanceof Error) io.stderr(`${error.stack}\n`);
    return EXIT_FAILURE;
  }
}
