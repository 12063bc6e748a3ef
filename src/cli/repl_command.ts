/**
 * `iridium` without FILE (SPEC §6): the local REPL, interactive on a terminal and piped otherwise;
 * `--enable-ssh` serves SSH beside it, `--daemon` serves SSH alone until SIGINT or SIGTERM.
 */
import process from "node:process";
import { join } from "node:path";
import { runPiped } from "../repl/piped.ts";
import { ReplSession } from "../repl/session.ts";
import type { ReplServices } from "../repl/services.ts";
import { DEFAULT_HISTORY_SIZE, runInteractive } from "../repl/terminal.ts";
import { WorkerPool } from "../pool/worker_pool.ts";
import { sessionProcesses } from "../pool/session_processes.ts";
import { resolveDataRoot } from "./data_dir.ts";
import { sessionHost } from "../vm/process_host.ts";
import { startApplications } from "./app_supervision.ts";
import type { CliIo } from "./io.ts";
import type { ParsedCommandLine } from "./parse.ts";
import { limitsOf } from "./run_file.ts";

/** The history file's name inside the data root. */
export const HISTORY_FILE_NAME = "history";

/** `!add_ssh_key PATH` in the local REPL: the key store of this command line's data root. */
function addSshKeyService(args: ParsedCommandLine): (path: string) => Promise<string> {
  return async (path) => {
    // Loaded on first use: the key store brings in ssh2, which the REPL does not otherwise need.
    const { addAuthorizedKeyFile, describeKey } = await import("../ssh/key_store.ts");
    const root = resolveDataRoot(args.options["data-root-dir"] as string | undefined);
    return describeKey("authorized", await addAuthorizedKeyFile(root, path));
  };
}

/** `--threads`: a positive number, or "auto" for the CPU count. */
export function threadCount(args: ParsedCommandLine): number {
  const threads = args.options.threads;
  return typeof threads === "number" ? threads : Math.max(1, navigator.hardwareConcurrency || 1);
}

/** The local REPL: interactive on a terminal, piped otherwise. */
async function runLocalRepl(args: ParsedCommandLine, io: CliIo, pool: WorkerPool): Promise<number> {
  const services: ReplServices = {
    addSshKey: addSshKeyService(args),
    processes: sessionProcesses(pool, { owner: "local", actsForAll: true, ...limitsOf(args) }),
    processHost: sessionHost(pool),
    audit: (event, fields) => {
      const root = resolveDataRoot(args.options["data-root-dir"] as string | undefined);
      void import("../ssh/audit_log.ts").then((m) => m.recordLocalChange(root, event, fields));
    },
  };
  if (!Deno.stdin.isTerminal()) {
    const session = new ReplSession({ write: (text) => io.stdout(text), ...limitsOf(args), services });
    return await runPiped({ input: Deno.stdin.readable, session });
  }
  // readline writes through process.stdout too; one stream keeps prompts and output in order.
  const session = new ReplSession({
    write: (text) => process.stdout.write(text),
    ...limitsOf(args),
    services,
  });
  const root = resolveDataRoot(args.options["data-root-dir"] as string | undefined);
  return await runInteractive({
    input: process.stdin,
    output: process.stdout,
    session,
    history: { file: join(root, HISTORY_FILE_NAME), size: DEFAULT_HISTORY_SIZE },
  });
}

/** Resolves at the first SIGINT or SIGTERM. */
function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
    const stop = () => {
      for (const signal of signals) Deno.removeSignalListener(signal, stop);
      resolve();
    };
    for (const signal of signals) Deno.addSignalListener(signal, stop);
  });
}

/** The REPL, with SSH beside it, or SSH alone with --daemon. */
export async function runRepl(args: ParsedCommandLine, io: CliIo): Promise<number> {
  const pool = new WorkerPool(threadCount(args));
  const applications = await startApplications(args, pool);
  try {
    if (!args.options["enable-ssh"] && !args.options.daemon) return await runLocalRepl(args, io, pool);
    // Listening before the server starts: a signal that arrives while it starts still stops the daemon.
    const stopped = args.options.daemon ? waitForStopSignal() : undefined;
    const { startSsh } = await import("../ssh/start.ts"); // loaded only when asked: it brings in ssh2
    const ssh = await startSsh(args, io, { processes: pool });
    try {
      if (stopped) {
        await stopped;
        return 0;
      }
      return await runLocalRepl(args, io, pool);
    } finally {
      await ssh.close();
    }
  } finally {
    await applications.close();
    pool.close();
  }
}
