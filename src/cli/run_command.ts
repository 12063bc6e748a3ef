/**
 * The top-level command (SPEC §6): `iridium FILE` runs a program in the foreground; `iridium` alone starts
 * the REPL: on a terminal, the interactive one with history in the data root; otherwise the piped one.
 * `--enable-ssh` serves SSH beside the REPL, `--daemon` serves SSH alone until SIGINT or SIGTERM.
 */
import process from "node:process";
import { join } from "node:path";
import { setImmediate } from "node:timers";
import { loadProgramFile } from "../asm/load_program.ts";
import { runPiped } from "../repl/piped.ts";
import { ReplSession } from "../repl/session.ts";
import type { ReplServices } from "../repl/services.ts";
import { DEFAULT_HISTORY_SIZE, runInteractive } from "../repl/terminal.ts";
import { createMachine } from "../vm/fast/select.ts";
import { OutputBuffer } from "../vm/output_buffer.ts";
import { WorkerPool } from "../pool/worker_pool.ts";
import { sessionProcesses } from "../pool/session_processes.ts";
import type { CommandHandler } from "./commands.ts";
import { resolveDataRoot } from "./data_dir.ts";
import type { CliIo } from "./io.ts";
import type { ParsedCommandLine } from "./parse.ts";
import { errorLine, EXIT_FAILURE, EXIT_OK } from "./messages.ts";

/**
 * Instructions between yields while running a file: large enough that yielding costs nothing measurable,
 * small enough that signals and timers are served within milliseconds.
 */
const FILE_SLICE_BUDGET = 1_000_000;

/** The history file's name inside the data root. */
export const HISTORY_FILE_NAME = "history";

function limitsOf(args: ParsedCommandLine) {
  return {
    heapLimit: args.options["heap-limit"] as number,
    stackLimit: args.options["stack-limit"] as number,
  };
}

function withNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** Runs a program file to its end; 0 on `hlt`, 1 on a fault or a load error (message on stderr). */
export async function runProgramFile(path: string, args: ParsedCommandLine, io: CliIo): Promise<number> {
  const loaded = await loadProgramFile(path);
  if (!loaded.ok) {
    io.stderr(loaded.diagnostics ? withNewline(loaded.message) : errorLine(loaded.message));
    return EXIT_FAILURE;
  }
  const output = new OutputBuffer((text) => io.stdout(text));
  const machine = createMachine(loaded.program, {
    output: output.write,
    ...limitsOf(args),
    endOfCode: "fault",
  });
  for (;;) {
    const result = machine.run(FILE_SLICE_BUDGET);
    output.drain(); // one write per slice (or per 64 KiB), not one per print instruction
    switch (result.status) {
      case "budget":
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      case "halted":
        return EXIT_OK;
      case "faulted":
        io.stderr(`${result.fault?.message}\n`);
        return EXIT_FAILURE;
      default:
        io.stderr(errorLine(`the program stopped unexpectedly (${result.status})`));
        return EXIT_FAILURE;
    }
  }
}

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
    processes: sessionProcesses(pool, { owner: "local", ...limitsOf(args) }),
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

/** The top-level command: run FILE, or the REPL (with SSH beside it), or SSH alone with --daemon. */
export const runTopLevel: CommandHandler = async (args, io) => {
  const file = args.positionals.FILE;
  if (file !== undefined) return await runProgramFile(file, args, io);
  const pool = new WorkerPool(threadCount(args));
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
    pool.close();
  }
};
