/** The shape of a command's handler, apart from the table of handlers so that neither imports the other. */
import type { CliIo } from "./io.ts";
import type { ParsedCommandLine } from "./parse.ts";

/** Runs one command; resolves to the process exit status. */
export type CommandHandler = (args: ParsedCommandLine, io: CliIo) => Promise<number>;
