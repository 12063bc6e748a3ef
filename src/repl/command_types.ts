/** The shape of a REPL `!` command and what its handler may use (the table is src/repl/commands.ts). */
import type { Program, SymbolTable } from "../bytecode/program.ts";
import type { MachineView } from "./format.ts";
import type { ReplServices } from "./services.ts";

/** What a command handler may see and do in its session. */
export interface CommandContext {
  /** Writes output ("\n" line ends). */
  write(text: string): void;
  /** This session's most recent lines, the current one included. */
  readonly history: readonly string[];
  /** Older lines the history no longer holds (its first line's number, less one). */
  readonly historyDropped: number;
  readonly services: ReplServices;
  /** The machine's visible state. */
  readonly machine: MachineView;
  /** The session's program and its labels. */
  program(): Program;
  symbols(): SymbolTable;
  /** The session's program as assembly, with addresses. */
  disassemble(): string;
  /** Empties the program and its labels; pc goes back to 0. */
  clearProgram(): void;
  /** Zeroes every integer and float register. */
  clearRegisters(): void;
  /** Loads a file (`.iasm` or `.iro`), replaces the program, resets the machine and runs it. */
  loadFile(path: string): Promise<void>;
  /** Loads a file for `!spawn`; throws Error(message) when it cannot be loaded. */
  readProgramFile(path: string): Promise<Program>;
  /** Aborts when the session is interrupted (Ctrl-C) while this command runs. */
  readonly signal: AbortSignal;
}

/** What a command asks of the front end afterwards. */
export type CommandOutcome = "continue" | "quit";

/** One `!` command. */
export interface ReplCommand {
  /** Name without the `!`. */
  readonly name: string;
  /** Argument names as `!help` and usage lines show them, e.g. `PATH` or `[PATH]`. */
  readonly args: readonly string[];
  /** One-line meaning. */
  readonly help: string;
  /** Runs the command with its arguments, already checked against `args`. */
  run(context: CommandContext, args: string[]): Promise<CommandOutcome | void> | CommandOutcome | void;
}
