/**
 * The REPL core: one line in, text out (docs/repl.md). It knows no terminal and no socket;
 * the terminal front end (terminal.ts), the piped front end (piped.ts) and every SSH session drive it.
 *
 * The session owns one Machine, its program (code + read-only data, growing line by line) and its labels.
 * A typed line is assembled against those labels, appended, and run from the current pc. The machine
 * pauses at the end of the code, so the next line continues from there. After a `hlt`, a fault or an
 * interrupt, pc moves to the end of the program, so the next typed line runs next (and a later line never
 * resumes an interrupted loop).
 *
 * Programs run in slices of `sliceBudget` instructions with a macrotask between slices, so input (Ctrl-C,
 * a closed connection) is seen while a program runs and `interrupt()` stops it within a slice.
 */
import { setImmediate } from "node:timers";
import { assemble } from "../asm/assembler.ts";
import { disassemble } from "../asm/disassembler.ts";
import { loadProgramFile, type LoadProgramResult, programFromBytes } from "../asm/load_program.ts";
import { labelNamerOf } from "../asm/source_map.ts";
import type { Program, SymbolTable } from "../bytecode/program.ts";
import { renderDiagnostics } from "../diag/render.ts";
import { formatAddress, formatInstruction, type LabelNamer } from "../isa/encoding.ts";
import { createFault } from "../vm/faults.ts";
import { createMachine, type Machine, type RunStatus } from "../vm/create_machine.ts";
import { OutputBuffer } from "../vm/output_buffer.ts";
import { argumentRange, type CommandContext, REPL_COMMANDS, splitArguments, usageOf } from "./commands.ts";
import type { ReplServices } from "./services.ts";
import { suggestName } from "../util/suggest.ts";
import { MAX_LINE_BYTES } from "./lines.ts";
import { ADMIN } from "../access/grant.ts";
import { type AccessRequest, decideAccess } from "../access/policy.ts";
import { changeOf, commandRequest, lineRequest } from "./access_check.ts";

export { FAREWELL } from "./commands.ts";
export type { ReplProcesses, ReplServices } from "./services.ts";

/** The files a host's reader hands `!load_file` and `!spawn`: assembly and bytecode. */
const PROGRAM_EXTENSIONS = [".iasm", ".iro"] as const;

/** Printed by the interactive front ends when a session starts (the original's words). */
export const BANNER = "Welcome to Iridium! Let's be productive!";
/** Shown before each line in interactive sessions. */
export const PROMPT = ">>> ";
/** The file name diagnostics give a typed line. */
export const REPL_FILE = "<repl>";
/**
 * Instructions per slice. About a millisecond of work on the interpreter, so `interrupt()` lands well
 * inside its 100 ms bound while the yields between slices cost little (setImmediate: ~5 µs each, and a
 * timer every INPUT_POLL_MS).
 */
export const DEFAULT_SLICE_BUDGET = 100_000;

/** How a session is built. */
export interface ReplSessionOptions {
  /** Receives all output, with "\n" line ends; front ends translate for their terminal. */
  write: (text: string) => void;
  /** Largest heap, in bytes (`--heap-limit`). */
  heapLimit: number;
  /** Deepest stack, in words (`--stack-limit`). */
  stackLimit: number;
  /** Host services for `!add_ssh_key`, `!spawn`, `!ps`, `!kill`. */
  services?: ReplServices;
  /** Instructions per slice; see DEFAULT_SLICE_BUDGET. */
  sliceBudget?: number;
  /**
   * Called between slices of a running program; a promise it returns holds the next slice until it
   * settles. The terminal front end gives the event loop a turn that reads input there while a program
   * prints, so Ctrl-C is seen at once (src/cli/repl_command.ts).
   */
  pace?: () => Promise<void> | undefined;
}

/**
 * Lines `!history` keeps: the most recent ones, so a session fed lines without end holds a bounded
 * history (numbers keep counting from the session's first line).
 */
export const MAX_HISTORY_LINES = 1000;

/** UTF-8 length of `text`, counted without encoding it (a surrogate pair: two units of 2 bytes). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3;
  }
  return bytes;
}

/** What the front end does after a line. */
export type LineOutcome = "continue" | "quit";

const EMPTY = new Uint8Array(0);

/** Buffers made by append() with room to spare: only these are ever written past a view's end. */
const GROWABLE = new WeakSet<ArrayBufferLike>();

/**
 * `a` followed by `b`. When `a` is the whole used part of a buffer made here, `b` goes into its spare room
 * (the buffer doubles when full), so appending a line costs the line, not the program.
 */
function append(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (b.length === 0) return a;
  const length = a.length + b.length;
  if (GROWABLE.has(a.buffer) && a.byteOffset === 0 && length <= a.buffer.byteLength) {
    const joined = new Uint8Array(a.buffer, 0, length);
    joined.set(b, a.length);
    return joined;
  }
  const joined = new Uint8Array(Math.max(256, 2 * length));
  GROWABLE.add(joined.buffer);
  joined.set(a);
  joined.set(b, a.length);
  return joined.subarray(0, length);
}

/**
 * How often, at most, a running program lets the event loop look for input with a timer. Between slices
 * it yields with setImmediate (a few µs), but Deno's event loop then polls sockets only about every 60
 * turns: with slices of about 2 ms (a program printing in a loop), another SSH session's typed line
 * waited about 120 ms to be read, against 6 ms with a timer. A timer yield costs about 2 ms here, so
 * once per 50 ms keeps the others' input latency near that bound for at most 4% of a long run.
 */
const INPUT_POLL_MS = 50;

/** Yields to the event loop between two slices of a running program; see INPUT_POLL_MS. */
class SliceYield {
  #lastTimer = performance.now();

  wait(): Promise<void> {
    const now = performance.now();
    if (now - this.#lastTimer < INPUT_POLL_MS) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) =>
      setTimeout(() => {
        this.#lastTimer = performance.now();
        resolve();
      }, 0)
    );
  }
}

function withNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}

/** An error whose message is already in its final form (rendered diagnostics): printed as it is. */
class PrintedError extends Error {}

/** How a failed load is reported: its diagnostics as rendered, or an `error:` line. */
function failureOf(loaded: { message: string; diagnostics?: unknown[] }): Error {
  return loaded.diagnostics ? new PrintedError(loaded.message) : new Error(loaded.message);
}

/** One REPL session: its machine, program, labels and history. Lines are handled one at a time, in order. */
export class ReplSession {
  readonly #history: string[] = [];
  /** Lines dropped from the front of #history (MAX_HISTORY_LINES): the first kept one's number is this + 1. */
  #historyDropped = 0;
  readonly #write: (text: string) => void;
  readonly #services: ReplServices;
  readonly #sliceBudget: number;
  readonly #pace?: () => Promise<void> | undefined;
  readonly #machine: Machine;
  #code: Uint8Array = EMPTY;
  #rodata: Uint8Array = EMPTY;
  #symbols: SymbolTable = new Map();
  /** The section typed lines go to: `.data` and `.code` lines switch it. */
  #section: "code" | "rodata" = "code";
  /** The last line was a label alone, which labels the next statement (AssembleBase.labelPending). */
  #labelPending = false;
  /** Lines given to this session so far, blank ones included: the line number in diagnostics. */
  #lineNumber = 0;
  readonly #output = new OutputBuffer((text) => this.#emit(text));
  #atLineStart = true;
  #running = false;
  #interruptRequested = false;
  /** Lines given to handleLine() and not finished yet. */
  #unfinishedLines = 0;
  #lastRunFaulted = false;
  #anyLineFailed = false;
  #queue: Promise<unknown> = Promise.resolve();
  /** Aborted by interrupt() while a `!` command runs (e.g. `!wait`). */
  #commandAbort?: AbortController;

  constructor(options: ReplSessionOptions) {
    this.#write = options.write;
    this.#services = options.services ?? {};
    this.#sliceBudget = options.sliceBudget ?? DEFAULT_SLICE_BUDGET;
    this.#pace = options.pace;
    this.#machine = createMachine(this.#program(), {
      output: this.#output.write,
      heapLimit: options.heapLimit,
      stackLimit: options.stackLimit,
      endOfCode: "pause",
      process: this.#services.processHost,
    });
  }

  /** This session's most recent lines (MAX_HISTORY_LINES at most), in order; blank lines are not kept. */
  get history(): readonly string[] {
    return this.#history;
  }

  /** How many older lines the history no longer holds: the number of its first line, less one. */
  get historyDropped(): number {
    return this.#historyDropped;
  }

  /** True while a program runs (between slices too). */
  get running(): boolean {
    return this.#running;
  }

  /** True while a line is being handled or waits its turn: a program runs, or a command works. */
  get busy(): boolean {
    return this.#unfinishedLines > 0;
  }

  /** True if the most recent program run ended in a fault (the exit status of piped and exec sessions). */
  get lastRunFaulted(): boolean {
    return this.#lastRunFaulted;
  }

  /**
   * True once any line has failed: an assembly error, an unknown or failed `!` command, a fault or an
   * interrupted program. Piped and exec sessions exit 1 then, so a script's typo fails `set -e` and CI.
   */
  get anyLineFailed(): boolean {
    return this.#anyLineFailed;
  }

  /** True unless the last output ended mid-line (e.g. `prts` of a string without "\n"). */
  get atLineStart(): boolean {
    return this.#atLineStart;
  }

  /** Ends a line left open by program output, so that a prompt starts at the left edge. */
  finishLine(): void {
    if (!this.#atLineStart) this.#emit("\n");
  }

  /**
   * Handles one line: a `!` command, or assembly to append and run. Resolves when it is done; lines given
   * while another is running wait their turn. Never rejects: every error is printed.
   */
  handleLine(line: string): Promise<LineOutcome> {
    this.#unfinishedLines++;
    const outcome = this.#queue.then(() => this.#handle(line)).finally(() => {
      if (--this.#unfinishedLines === 0) this.#interruptRequested = false;
    });
    this.#queue = outcome.catch(() => {}); // a failing write must not stop later lines
    return outcome;
  }

  /**
   * Stops the running program at the end of its current slice, or, when a line was given but its program
   * has not started yet, that program before its first instruction. Does nothing when no line is pending.
   */
  interrupt(): void {
    if (this.#unfinishedLines > 0) this.#interruptRequested = true;
    // Inside a slice too: the machine looks at its own flag every few thousand instructions, so a
    // program flooding output stops before its slice ends.
    if (this.#running) this.#machine.interrupt();
    this.#commandAbort?.abort();
  }

  #emit(text: string): void {
    if (text === "") return;
    this.#atLineStart = text.endsWith("\n");
    this.#write(text);
  }

  #flushOutput(): void {
    this.#output.drain();
  }

  #program(): Program {
    return { code: this.#code, rodata: this.#rodata, entry: 0 };
  }

  async #handle(rawLine: string): Promise<LineOutcome> {
    this.#lineNumber++;
    const line = rawLine.replace(/[\r\n]+$/, "");
    if (line.length > MAX_LINE_BYTES / 4 && utf8Length(line) > MAX_LINE_BYTES) {
      this.finishLine();
      this.#emit(
        `error: line ${this.#lineNumber} is too long: expected at most ${MAX_LINE_BYTES} bytes; discarded\n`,
      );
      return "continue";
    }
    if (line.trim() === "") return "continue";
    this.#history.push(line);
    if (this.#history.length > MAX_HISTORY_LINES) {
      this.#history.shift();
      this.#historyDropped++;
    }
    try {
      if (line.trimStart().startsWith("!")) return await this.#command(line.trimStart().slice(1));
      if (!(await this.#allowed(lineRequest(line)))) return "continue";
      await this.#assembleAndRun(line);
    } catch (error) {
      this.#anyLineFailed = true;
      this.#flushOutput();
      this.finishLine();
      if (error instanceof PrintedError) this.#emit(withNewline(error.message));
      else if (error instanceof Error && error.message.startsWith("permission denied: ")) {
        // Refused by the process layer, which knows the owner of a PID (src/pool/session_processes.ts).
        this.#emit(`${error.message}\n`);
        this.#services.audit?.("denied", { command: line.trim().slice(0, 60) });
      } else this.#emit(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    return "continue";
  }

  async #command(text: string): Promise<LineOutcome> {
    const name = text.split(/\s/, 1)[0];
    const command = REPL_COMMANDS.find((c) => c.name === name);
    if (!command) {
      const hint = suggestName(name, REPL_COMMANDS.map((c) => c.name));
      const advice = hint ? `did you mean '!${hint}'?` : "type '!help' for the list";
      this.#anyLineFailed = true;
      this.#emit(`error: unknown command '!${name}' (${advice})\n`);
      return "continue";
    }
    const args = splitArguments(text.slice(name.length));
    const { min, max } = argumentRange(command);
    if (args.length < min || args.length > max) {
      this.#anyLineFailed = true;
      this.#emit(`${usageOf(command)}\n`);
      return "continue";
    }
    const request = commandRequest(name, args);
    if (!(await this.#allowed(request))) return "continue";
    this.#commandAbort = new AbortController();
    try {
      const outcome = (await command.run(this.#context(this.#commandAbort.signal), args)) ?? "continue";
      const change = changeOf(request);
      if (change) this.#services.audit?.("change", { command: request.text ?? change });
      return outcome;
    } finally {
      this.#commandAbort = undefined;
    }
  }

  /** Puts `request` to the access policy with the key's grant as it is now; prints and audits a refusal. */
  async #allowed(request: AccessRequest): Promise<boolean> {
    const subject = (await this.#services.subject?.()) ?? { name: "local", grant: ADMIN };
    const decision = decideAccess(subject, request);
    if (decision.allowed) return true;
    this.#anyLineFailed = true; // a refusal is a failed operation: exit status 1 for a piped session
    this.#emit(`${decision.reason}\n`);
    this.#services.audit?.("denied", { command: request.text ?? request.command });
    return false;
  }

  #context(signal: AbortSignal): CommandContext {
    return {
      signal,
      write: (text) => this.#emit(text),
      history: this.#history,
      historyDropped: this.#historyDropped,
      services: this.#services,
      machine: this.#machine,
      program: () => this.#program(),
      symbols: () => this.#symbols,
      disassemble: () =>
        withNewline(disassemble(this.#program(), { addresses: true, symbols: this.#symbols })),
      clearProgram: () => this.#clearProgram(),
      clearRegisters: () => this.#machine.clearRegisters(),
      loadFile: (path) => this.#loadFile(path),
      readProgramFile: async (path) => {
        const loaded = await this.#readProgram(path);
        if (!loaded.ok) throw failureOf(loaded);
        return loaded.program;
      },
    };
  }

  #clearProgram(): void {
    this.#code = EMPTY;
    this.#rodata = EMPTY;
    this.#symbols = new Map();
    this.#section = "code";
    this.#labelPending = false;
    this.#machine.setProgram(this.#program());
    this.#machine.pc = 0;
  }

  async #assembleAndRun(line: string): Promise<void> {
    // Each line is assembled alone against what the lines before it left: labels, the section (`.data`
    // typed earlier still holds), and a label alone on the previous line, which labels this one.
    const result = assemble(line, {
      file: REPL_FILE,
      base: {
        codeLength: this.#code.length,
        rodataLength: this.#rodata.length,
        symbols: this.#symbols,
        section: this.#section,
        labelPending: this.#labelPending,
      },
    });
    if (!result.ok) {
      // Each line is assembled as line 1; report it as the session's line number, so an error in a piped
      // script names the script's line.
      this.#anyLineFailed = true;
      const n = this.#lineNumber;
      const diagnostics = result.diagnostics.map((d) => ({ ...d, line: n }));
      this.#emit(withNewline(renderDiagnostics(diagnostics, () => line)));
      return;
    }
    this.#section = result.section;
    this.#labelPending = result.labelPending;
    this.#code = append(this.#code, result.code);
    this.#rodata = append(this.#rodata, result.rodata);
    this.#symbols = result.symbols;
    this.#machine.extendProgram(this.#program());
    if (result.code.length > 0) await this.#run();
  }

  /** Names addresses by the session's labels, for fault and interrupt messages. */
  #labelNamer(): LabelNamer {
    return labelNamerOf(this.#symbols);
  }

  /** Reads and loads a program file the user named, through the host's reader when it has one. */
  async #readProgram(path: string): Promise<LoadProgramResult> {
    const read = this.#services.readFile;
    if (!read) return loadProgramFile(path);
    const file = await read(path, PROGRAM_EXTENSIONS);
    return programFromBytes(file.bytes, path);
  }

  async #loadFile(path: string): Promise<void> {
    const loaded = await this.#readProgram(path);
    if (!loaded.ok) throw failureOf(loaded);
    const { program } = loaded;
    this.#code = program.code;
    this.#rodata = program.rodata;
    this.#symbols = loaded.symbols;
    this.#section = "code";
    this.#labelPending = false;
    this.#machine.setProgram({ code: program.code, rodata: program.rodata, entry: program.entry });
    this.#machine.reset();
    this.#machine.pc = program.entry;
    await this.#run();
  }

  /** Runs from the current pc until the end of the code, `hlt`, a fault or an interrupt. */
  async #run(): Promise<void> {
    this.#running = true;
    this.#lastRunFaulted = false;
    const pause = new SliceYield();
    try {
      for (;;) {
        if (this.#interruptRequested) return this.#stopAfter("interrupted");
        const result = this.#machine.run(this.#sliceBudget);
        this.#flushOutput();
        if (result.status === "budget") {
          await pause.wait(); // lets input in: Ctrl-C, a closed connection, other sessions' lines
          await this.#pace?.();
          continue;
        }
        if (result.status === "ended") return;
        if (result.status === "waiting") {
          // A session has no mailbox, so only `sleep` waits: the timer, or Ctrl-C, ends it.
          await this.#sleepUntil(result.wakeAt ?? 0);
          continue;
        }
        if (result.status === "faulted") {
          this.#lastRunFaulted = true;
          this.#anyLineFailed = true;
          this.finishLine();
          // The machine knows no labels; the session does, so its fault names them (`djmpe @top`).
          const fault = result.fault!;
          this.#emit(`${createFault(fault.kind, this.#code, fault.pc, this.#labelNamer()).message}\n`);
        }
        return this.#stopAfter(result.status);
      }
    } catch (error) {
      // Never leave pc inside a program that failed: the next typed line must run, not resume it.
      this.#machine.pc = this.#code.length;
      throw error;
    } finally {
      this.#output.discard();
      this.#machine.cancelInterrupt();
      this.#running = false;
      this.#interruptRequested = false; // an interrupt is meant for one program
    }
  }

  /** Waits until epoch millisecond `wakeAt`, or less when an interrupt comes (checked every 50 ms). */
  async #sleepUntil(wakeAt: number): Promise<void> {
    while (!this.#interruptRequested && Date.now() < wakeAt) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, wakeAt - Date.now())));
    }
  }

  /** After `hlt`, a fault or an interrupt, the next typed line runs next: pc goes to the end of the code. */
  #stopAfter(status: RunStatus): void {
    if (status === "interrupted") {
      this.#anyLineFailed = true;
      const pc = this.#machine.pc;
      const where = pc < this.#code.length
        ? ` (${formatInstruction(this.#code, pc, this.#labelNamer())})`
        : "";
      this.finishLine();
      this.#emit(`interrupted at ${formatAddress(pc)}${where}\n`);
    }
    this.#machine.pc = this.#code.length;
  }
}
