/**
 * The REPL on a terminal (docs/repl.md): banner, prompt, line editing and arrow-key history from
 * node:readline. It takes any pair of Node streams, so the local terminal (process.stdin/stdout) and an SSH
 * channel with a pty (wrapped to translate "\n" to "\r\n" and to report `columns` and 'resize') share this
 * code.
 *
 * - Lines typed while a program runs wait in order; a session never runs two lines at once.
 * - Ctrl-C while a program runs interrupts it (and drops lines typed meanwhile); when idle it abandons the
 *   line being edited and shows a fresh prompt.
 * - Ctrl-D on an empty line at the prompt runs `!quit` (which may ask to be confirmed); the end of the
 *   input, or Ctrl-D while a program runs, prints the farewell and leaves.
 * - When the input ends while a program runs (a dropped connection), the program is interrupted.
 */
import { createInterface } from "node:readline";
import { type HistoryFile, loadHistory, saveHistory } from "./history_file.ts";
import { abandonLine } from "./readline_line.ts";
import { withReverseSearch } from "./reverse_search.ts";
import { isOsError, osErrorReason } from "../util/os_error.ts";
import { BANNER, FAREWELL, PROMPT, type ReplSession } from "./session.ts";

/** Entries kept when no history file says otherwise (readline's own default is 30). */
export const DEFAULT_HISTORY_SIZE = 1000;

/**
 * Lines typed ahead while a program runs that wait at most; past it the input is paused (over SSH the
 * client is then held back by flow control) until the session catches up.
 */
export const MAX_PENDING_LINES = 256;

/** How an interactive session is driven. */
export interface InteractiveOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  session: ReplSession;
  /** Load the arrow-up history from this file and save it there after every line. */
  history?: HistoryFile;
  /** Whether `output` is a terminal that takes escape sequences (default true). */
  terminal?: boolean;
  /** Messages from elsewhere (the SSH server's log) that this session prints above its prompt. */
  notices?: TerminalNotices;
}

/**
 * Where messages from outside a terminal session go (the SSH server's audit lines beside the local REPL):
 * while the session owns the terminal, above its prompt, with the prompt and the line being typed drawn
 * again below, as readline shells do; otherwise to `fallback`.
 */
export class TerminalNotices {
  #printAbove?: (text: string) => void;

  constructor(readonly fallback: (text: string) => void) {}

  /** Prints `text` (whole lines). */
  print(text: string): void {
    (this.#printAbove ?? this.fallback)(text);
  }

  /** Sends notices to `printAbove` until detach(). */
  attach(printAbove: (text: string) => void): void {
    this.#printAbove = printAbove;
  }

  /** Sends notices to the fallback again. */
  detach(): void {
    this.#printAbove = undefined;
  }
}

/** Erases the line the cursor is on (the prompt and what is typed), leaving the cursor at its start. */
const CLEAR_LINE = "\r\x1b[K";

/** Why a history read or write failed, in plain words (no "(os error 13): mkdir ..."). */
function messageOf(error: unknown): string {
  if (isOsError(error)) return osErrorReason(error);
  return error instanceof Error ? error.message : String(error);
}

/** Runs an interactive session until `!quit`, Ctrl-D or the end of the input; resolves to exit status 0. */
export async function runInteractive(options: InteractiveOptions): Promise<number> {
  const { input, output, session } = options;
  const write = (text: string) => {
    try {
      output.write(text);
    } catch {
      // The other end is gone; nothing to tell it.
    }
  };
  let saved: string[] = [];
  if (options.history) {
    try {
      saved = await loadHistory(options.history);
    } catch (error) {
      write(`warning: could not read the history from ${options.history.file}: ${messageOf(error)}\n`);
    }
  }
  const terminal = options.terminal ?? true;
  const search = terminal ? withReverseSearch(input, write) : undefined;
  const rl = createInterface({
    input: search?.stream ?? input,
    output,
    terminal,
    prompt: PROMPT,
    history: saved.toReversed(), // readline keeps the newest first
    historySize: options.history?.size ?? DEFAULT_HISTORY_SIZE,
  });

  search?.attach({
    history: () => (rl as unknown as { history: string[] }).history ?? [],
    line: () => rl.line,
    // Ctrl-D at an idle prompt is `!quit`, so it asks for confirmation where `!quit` does (SSH sessions
    // open); while a program runs, readline closes the input and the program is interrupted.
    endOfInput: () => {
      if (busy || closed) return false;
      write("\n");
      pending.push("!quit");
      void pump();
      return true;
    },
  });

  const pending: string[] = [];
  let busy = false, closed = false, quitting = false, finished = false, inputPaused = false;
  const { promise, resolve } = Promise.withResolvers<number>();

  // Saved after every line, not only at the end, so a killed process loses no history (the file is
  // replaced atomically); a failure is reported once and the session goes on.
  let saveWarned = false;
  const persistHistory = async () => {
    if (!options.history) return;
    const history = (rl as unknown as { history: string[] }).history ?? [];
    try {
      await saveHistory(options.history, history.toReversed());
    } catch (error) {
      if (!saveWarned) {
        write(`warning: could not save the history to ${options.history.file}: ${messageOf(error)}\n`);
      }
      saveWarned = true;
    }
  };

  const finish = async () => {
    if (finished) return;
    finished = true;
    if (!quitting) write(`\n${FAREWELL}\n`); // Ctrl-D leaves the cursor after the prompt
    await persistHistory();
    resolve(0);
  };

  const pump = async () => {
    if (busy) return;
    busy = true;
    while (pending.length > 0 && !closed) {
      const line = pending.shift()!;
      if (inputPaused && pending.length <= MAX_PENDING_LINES / 2) {
        inputPaused = false;
        rl.resume();
      }
      if (await session.handleLine(line) === "quit") {
        quitting = true;
        rl.close();
      }
      await persistHistory();
    }
    busy = false;
    if (closed) return finish();
    session.finishLine();
    rl.prompt();
  };

  rl.on("line", (line: string) => {
    pending.push(line);
    if (pending.length >= MAX_PENDING_LINES && !inputPaused) {
      inputPaused = true;
      rl.pause();
    }
    void pump();
  });
  rl.on("SIGINT", () => {
    write("^C\n");
    if (busy) {
      pending.length = 0;
      session.interrupt();
      return;
    }
    abandonLine(rl);
    if (!busy) rl.prompt();
  });
  options.notices?.attach((text) => {
    if (closed) return options.notices!.fallback(text);
    if (busy) {
      session.finishLine(); // a program's output owns the screen: the notice goes on a line of its own
      write(text);
      return;
    }
    write(CLEAR_LINE);
    write(text);
    rl.prompt(true); // the prompt and the line being typed, the cursor where it was
  });
  rl.on("close", () => {
    search?.close();
    options.notices?.detach();
    closed = true;
    pending.length = 0;
    session.interrupt();
    if (!busy) void finish();
  });

  write(`${BANNER}\n`);
  rl.prompt();
  return await promise;
}
