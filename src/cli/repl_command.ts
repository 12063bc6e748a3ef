/**
 * `iridium` without FILE (docs/cli.md): the local REPL, interactive on a terminal and piped otherwise;
 * `--enable-ssh` serves SSH beside it, `--daemon` serves SSH alone until SIGINT or SIGTERM.
 */
import process from "node:process";
import { join } from "node:path";
import { runPiped } from "../repl/piped.ts";
import { ReplSession } from "../repl/session.ts";
import type { ReplServices } from "../repl/services.ts";
import { DEFAULT_HISTORY_SIZE, runInteractive, TerminalNotices } from "../repl/terminal.ts";
import { WorkerPool } from "../pool/worker_pool.ts";
import { sessionProcesses } from "../pool/session_processes.ts";
import { inDataRoot, resolveDataRoot } from "../util/data_dir.ts";
import { sessionHost } from "../vm/create_machine.ts";
import { startApplications } from "./app_supervision.ts";
import type { CliIo } from "./io.ts";
import type { ParsedCommandLine } from "./parse.ts";
import { limitsOf } from "./run_file.ts";
import type { SshHandle } from "../ssh/start.ts";
import { unfinishedProcessesNotice } from "./stop_notice.ts";
import { CLI_SPEC } from "./spec.ts";

const CLI_NAME = CLI_SPEC.name;

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
async function runLocalRepl(
  args: ParsedCommandLine,
  io: CliIo,
  pool: WorkerPool,
  ssh?: { notices: TerminalNotices; handle: SshHandle },
): Promise<number> {
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
  const output = pacedTerminalOutput(process.stdout);
  const session = new ReplSession({
    write: output.write,
    pace: output.pace,
    ...limitsOf(args),
    services: ssh ? { ...services, beforeQuit: confirmQuitWithSsh(ssh.handle) } : services,
  });
  const root = resolveDataRoot(args.options["data-root-dir"] as string | undefined);
  return await runInteractive({
    input: process.stdin,
    output: process.stdout,
    session,
    history: { file: join(root, HISTORY_FILE_NAME), size: DEFAULT_HISTORY_SIZE },
    // Above the prompt only when stderr is this terminal too: `2>audit.log` keeps them in the file.
    notices: Deno.stderr.isTerminal() ? ssh?.notices : undefined,
  });
}

/**
 * Writes to the terminal, and paces a program that prints: after each slice that printed, the next waits
 * for a timer turn of the event loop, the turn in which Deno reads input. Without it the input (Ctrl-C)
 * of a program flooding the terminal was read only every few seconds (4 to 7 s, measured in tmux; 0.1 s
 * with it, and `yes` 0.03 s), since each slice blocks on the terminal and setImmediate turns do not poll
 * input. A program that prints nothing keeps the cheap yields.
 */
function pacedTerminalOutput(stream: NodeJS.WritableStream) {
  let printed = false;
  return {
    write(text: string): void {
      printed = true;
      stream.write(text);
    },
    pace(): Promise<void> | undefined {
      if (!printed) return undefined;
      printed = false;
      return new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

function connections(n: number): string {
  return `${n} SSH connection${n === 1 ? "" : "s"}`;
}

/**
 * `!quit` of the local REPL while SSH connections are open: they end with it, so the first `!quit` only
 * says so, and a second one leaves (Ctrl-D leaves at once; the count is printed then).
 */
function confirmQuitWithSsh(ssh: SshHandle): () => Promise<string | undefined> {
  let warned = false;
  return async () => {
    if (warned) return undefined;
    const open = await ssh.connectionCount();
    if (open === 0) return undefined;
    warned = true;
    return `${connections(open)} open: they close when this REPL ends; type !quit again to leave`;
  };
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
    const { sshConfigOf } = await import("./ssh_config.ts");
    const root = resolveDataRoot(args.options["data-root-dir"] as string | undefined);
    // The server's log lines reach the local terminal above the REPL's prompt, not inside the typed line.
    const notices = new TerminalNotices((text) => io.stderr(text));
    const sshIo: CliIo = { ...io, stderr: (text) => notices.print(text) };
    const ssh = await inDataRoot(root, () => startSsh(sshConfigOf(args), sshIo, { processes: pool }));
    try {
      if (stopped) {
        await stopped;
        return 0;
      }
      const status = await runLocalRepl(args, io, pool, { notices, handle: ssh });
      const open = await ssh.connectionCount();
      if (open > 0) io.stderr(`${CLI_NAME}: ${connections(open)} open: closed\n`);
      return status;
    } finally {
      await ssh.close();
    }
  } finally {
    await applications.close();
    const notice = await unfinishedProcessesNotice(pool).catch(() => undefined);
    if (notice) io.stderr(`${CLI_NAME}: ${notice}\n`);
    pool.close();
  }
}
