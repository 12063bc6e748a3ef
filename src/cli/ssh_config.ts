/** The SSH server's configuration from the command line, handed to src/ssh/start.ts as plain data. */
import type { SshServerConfig } from "../ssh/server.ts";
import { resolveDataRoot } from "../util/data_dir.ts";
import { parseStartups } from "../ssh/admission.ts";
import type { ParsedCommandLine } from "./parse.ts";

function numberOption(args: ParsedCommandLine, name: string): number {
  const value = Number(args.options[name]);
  if (!Number.isFinite(value)) throw new Error(`option '--${name}' has no value`);
  return value;
}

/** The server's settings from the command line (every default is cli.yml's). */
export function sshConfigOf(args: ParsedCommandLine): SshServerConfig {
  return {
    host: String(args.options["ssh-host"]),
    port: numberOption(args, "ssh-port"),
    dataRoot: resolveDataRoot(args.options["data-root-dir"] as string | undefined),
    filesDir: (args.options["ssh-files-dir"] as string | undefined) || undefined,
    idleTimeoutSeconds: numberOption(args, "ssh-idle-timeout"),
    authTimeoutSeconds: numberOption(args, "ssh-auth-timeout"),
    maxConnections: numberOption(args, "ssh-max-connections"),
    maxStartups: parseStartups(String(args.options["ssh-max-startups"])),
    maxStartupsPerSource: numberOption(args, "ssh-max-startups-per-source"),
    maxSessions: numberOption(args, "ssh-max-sessions"),
    maxProcessesPerKey: numberOption(args, "ssh-max-processes"),
    heapLimit: numberOption(args, "heap-limit"),
    stackLimit: numberOption(args, "stack-limit"),
  };
}
