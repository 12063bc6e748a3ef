/** The CLI's one message style and its exit statuses (docs/cli.md). */
import { CLI_SPEC } from "./spec.ts";

/** Success: the program reached `hlt`, or the command did what it was asked. */
export const EXIT_OK = 0;
/** A fault, an assembly or load error, or a failed operation. */
export const EXIT_FAILURE = 1;
/** A usage error: unknown flag, missing or malformed value. */
export const EXIT_USAGE = 2;

/**
 * Standard output's reader has gone: 128 + SIGPIPE, the status a shell sees when SIGPIPE ends `cat`, so
 * `set -o pipefail` treats both alike.
 */
export const EXIT_STDOUT_CLOSED = 141;

/** One error line: `iridium: error: MESSAGE` and a newline. */
export function errorLine(message: string): string {
  return `${CLI_SPEC.name}: error: ${message}\n`;
}
