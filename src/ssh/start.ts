// Placeholder until the SSH issue lands: the shape run_command.ts calls.
import type { CliIo } from "../cli/io.ts";
import type { ParsedCommandLine } from "../cli/parse.ts";

/** A running SSH server. */
export interface SshHandle {
  /** Stops accepting, ends every session cleanly, resolves when all is closed. */
  close(): Promise<void>;
}

/** Starts the SSH server described by the command line (--ssh-port, --ssh-host, limits, data root). */
export function startSsh(_args: ParsedCommandLine, _io: CliIo): Promise<SshHandle> {
  return Promise.reject(new Error("SSH is not available yet"));
}
