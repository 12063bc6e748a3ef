/**
 * The REPL's `!` commands, as one table: name, arguments, help line and handler. `!help` is generated from
 * it, and so are the usage lines printed for a wrong argument count (docs/repl.md).
 */
import { basename } from "node:path";
import { formatHelp, formatRegisters, formatSymbols } from "./format.ts";
import { APP_COMMANDS } from "./app_commands.ts";
import type { CommandContext, ReplCommand } from "./command_types.ts";

export type { CommandContext, CommandOutcome, ReplCommand } from "./command_types.ts";

/** Printed when the session ends. */
export const FAREWELL = "Farewell! Have a great day!";

const NO_POOL = "not available in this session: there is no thread pool";
const NO_KEYS = "not available here: authorize keys with 'iridium add-ssh-key PUB_KEY_FILE'";

function processes(context: CommandContext) {
  const pool = context.services.processes;
  if (!pool) throw new Error(NO_POOL);
  return pool;
}

function parsePid(text: string): number {
  if (!/^[0-9]+$/.test(text)) throw new Error(`invalid PID '${text}': expected a positive whole number`);
  return Number(text);
}

/** Every command, in the order `!help` lists them. */
export const REPL_COMMANDS: readonly ReplCommand[] = [
  {
    name: "quit",
    args: [],
    help: "leave this session",
    async run(context) {
      const warning = await context.services.beforeQuit?.();
      if (warning) return void context.write(`${warning}\n`);
      context.write(`${FAREWELL}\n`);
      return "quit";
    },
  },
  {
    name: "help",
    args: ["[instructions]"],
    help: "list commands; '!help instructions' lists the instruction set",
    run(context, [topic]) {
      if (topic !== undefined && topic !== "instructions") {
        throw new Error(`unknown help topic '${topic}': expected 'instructions'`);
      }
      context.write(formatHelp(REPL_COMMANDS, topic === "instructions"));
    },
  },
  {
    name: "history",
    args: [],
    help: "numbered list of this session's lines",
    run(context) {
      const first = context.historyDropped + 1;
      const width = String(first + context.history.length - 1).length;
      context.write(
        context.history.map((line, i) => `${String(first + i).padStart(width)}  ${line}\n`).join(""),
      );
    },
  },
  {
    name: "program",
    args: [],
    help: "disassembly of the session's program, with addresses",
    run(context) {
      const { code, rodata } = context.program();
      context.write(code.length + rodata.length === 0 ? "the program is empty\n" : context.disassemble());
    },
  },
  {
    name: "clear_program",
    args: [],
    help: "empty the program and its labels, reset pc",
    run(context) {
      context.clearProgram();
    },
  },
  {
    name: "registers",
    args: [],
    help: "show the registers, pc, flags, heap size and stack depth",
    run(context) {
      context.write(formatRegisters(context.machine));
    },
  },
  {
    name: "clear_registers",
    args: [],
    help: "set every register to zero",
    run(context) {
      context.clearRegisters();
    },
  },
  {
    name: "symbols",
    args: [],
    help: "labels and their addresses",
    run(context) {
      context.write(formatSymbols(context.symbols()));
    },
  },
  {
    name: "load_file",
    args: ["PATH"],
    help: "assemble a file (or load a .iro), replace the program and run it",
    run(context, [path]) {
      return context.loadFile(path);
    },
  },
  {
    name: "spawn",
    args: ["[PATH]"],
    help: "run a file (or the session's program) as a process on the thread pool",
    async run(context, [path]) {
      const pool = processes(context);
      if (path === undefined && context.program().code.length === 0) {
        throw new Error("the session's program is empty: type some instructions first, or give a file");
      }
      const program = path === undefined ? context.program() : await context.readProgramFile(path);
      const { pid, queued } = await pool.spawn(
        program,
        path === undefined ? "<repl>" : basename(path),
        path === undefined,
      );
      context.write(
        queued
          ? `queued process ${pid}: every thread is busy; it starts when one is free\n`
          : `started process ${pid}\n`,
      );
    },
  },
  {
    name: "ps",
    args: [],
    help: "list the processes of the whole VM",
    async run(context) {
      const lines = await processes(context).list();
      context.write(lines.map((line) => `${line}\n`).join(""));
    },
  },
  {
    name: "kill",
    args: ["PID"],
    help: "stop a process (over SSH: one your key started)",
    async run(context, [pid]) {
      context.write(`${await processes(context).kill(parsePid(pid))}\n`);
    },
  },
  {
    name: "output",
    args: ["PID"],
    help: "what a process printed (the last 64 KiB)",
    async run(context, [pid]) {
      const text = await processes(context).output(parsePid(pid));
      context.write(text === "" || text.endsWith("\n") ? text : `${text}\n`);
    },
  },
  {
    name: "wait",
    args: ["PID"],
    help: "wait until a process ends (Ctrl-C stops waiting, not the process)",
    async run(context, [pid]) {
      try {
        context.write(`${await processes(context).wait(parsePid(pid), context.signal)}\n`);
      } catch (error) {
        if (!(error instanceof DOMException && error.name === "AbortError")) throw error;
        context.write(`stopped waiting for process ${pid}; it runs on\n`);
      }
    },
  },
  {
    name: "add_ssh_key",
    args: ["PATH"],
    help: "authorize a public key for SSH, as 'iridium add-ssh-key' does",
    async run(context, [path]) {
      const add = context.services.addSshKey;
      if (!add) throw new Error(NO_KEYS);
      context.write(`${await add(path)}\n`);
    },
  },
  ...APP_COMMANDS,
];

/** The usage line of a command, e.g. `usage: !load_file PATH`. */
export function usageOf(command: ReplCommand): string {
  return `usage: ${[`!${command.name}`, ...command.args].join(" ")}`;
}

/** How many arguments a command takes: `[X]` is optional. */
export function argumentRange(command: ReplCommand): { min: number; max: number } {
  return {
    min: command.args.filter((a) => !a.startsWith("[")).length,
    max: command.args.length,
  };
}

/**
 * Splits a command line's arguments at spaces; `'...'` or `"..."` keep spaces inside one argument (a path).
 * Throws Error for an unterminated quote.
 */
export function splitArguments(text: string): string[] {
  const args: string[] = [];
  const pattern = /\s*(?:'([^']*)'|"([^"]*)"|([^\s'"]+))/gy;
  let rest = text.trim();
  while (rest.length > 0) {
    pattern.lastIndex = 0;
    const match = pattern.exec(rest);
    if (!match) throw new Error(`unterminated quote in the arguments: ${text.trim()}`);
    args.push(match[1] ?? match[2] ?? match[3]);
    rest = rest.slice(pattern.lastIndex).trimStart();
  }
  return args;
}
