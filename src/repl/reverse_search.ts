/**
 * Ctrl-R reverse search of the history, as readline shells have it (node:readline has none). The keys pass
 * through a stream between the terminal and readline: outside a search they go on untouched (but for a
 * Ctrl-D on an empty line, which the REPL may take as `!quit`); during one
 * they edit the search, and the line found is handed to readline as keys (Ctrl-E, Ctrl-U, then its
 * text), so readline's own line, cursor and drawing stay right without touching its internals.
 */
import { PassThrough } from "node:stream";

/** What the search needs from the readline interface it feeds. */
export interface SearchTarget {
  /** History, newest first (readline's order). */
  history(): readonly string[];
  /** The line being edited. */
  line(): string;
  /**
   * Ctrl-D on an empty line: true when the REPL takes it as `!quit` itself (so a quit that asks to be
   * confirmed asks), false to hand the key to readline, which closes the input.
   */
  endOfInput?(): boolean;
}

const CTRL_C = "\x03";
const CTRL_D = "\x04";
const CTRL_G = "\x07";
const CTRL_R = "\x12";
const ENTER = "\r";
const ESCAPE = "\x1b";
const BACKSPACES = new Set(["\x7f", "\b"]);
/** Keys that make readline replace its whole line: end of line, then delete to its start. */
const CLEAR_READLINE = "\x05\x15";

/** One search: the typed text and the history entry it shows. */
interface Search {
  query: string;
  /** Index into the history of the entry shown, or -1. */
  index: number;
  /** The line being edited when the search began, given back on cancel. */
  original: string;
}

/**
 * The input readline should read, with Ctrl-R handled; `write` draws the search line on the terminal.
 * `setRawMode` and `isTTY` are passed through, so readline still puts a real terminal in raw mode.
 */
export function withReverseSearch(
  input: NodeJS.ReadableStream,
  write: (text: string) => void,
): { stream: NodeJS.ReadableStream; attach(target: SearchTarget): void; close(): void } {
  const stream = new PassThrough({ encoding: "utf8" });
  const tty = input as NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  Object.assign(stream, {
    isTTY: tty.isTTY ?? false,
    ...(tty.setRawMode ? { setRawMode: (mode: boolean) => tty.setRawMode!.call(tty, mode) } : {}),
  });
  let target: SearchTarget | undefined;
  let search: Search | undefined;

  const find = (query: string, from: number): number => {
    const history = target!.history();
    for (let i = from; i < history.length; i++) if (history[i].includes(query)) return i;
    return -1;
  };
  const draw = () => {
    const { query, index } = search!;
    const found = index >= 0 ? target!.history()[index] : "";
    const label = index < 0 && query !== "" ? "failed reverse-i-search" : "reverse-i-search";
    write(`\r\x1b[K(${label})'${query}': ${found}`);
  };
  const finish = (line: string): string => {
    search = undefined;
    return CLEAR_READLINE + line;
  };

  /** Handles the keys of `text` one by one; returns what readline gets. */
  const filter = (text: string): string => {
    let out = "";
    for (let i = 0; i < text.length; i++) {
      const key = text[i];
      if (!search) {
        if (key === CTRL_D && out === "" && target?.line() === "" && target.endOfInput?.()) continue;
        if (key === CTRL_R && target) {
          // Keys before Ctrl-R in the same chunk reach readline first, so its line is the one to keep.
          if (out !== "") stream.write(out);
          out = "";
          search = { query: "", index: -1, original: target.line() };
          draw();
        } else {
          out += key;
        }
        continue;
      }
      const entry = search.index >= 0 ? target!.history()[search.index] : search.original;
      if (key === CTRL_R) {
        const next = find(search.query, search.index + 1);
        if (next >= 0) search.index = next;
        draw();
      } else if (BACKSPACES.has(key)) {
        search.query = search.query.slice(0, -1);
        search.index = search.query === "" ? -1 : find(search.query, 0);
        draw();
      } else if (key === CTRL_G || key === CTRL_C) {
        out += finish(search.original) + (key === CTRL_C ? CTRL_C : "");
      } else if (key === ENTER || key === "\n") {
        out += finish(entry) + ENTER;
      } else if (key === ESCAPE || key < " ") {
        out += finish(entry) + key; // an arrow or another key: edit the line found, as bash does
      } else {
        search.query += key;
        const at = find(search.query, Math.max(search.index, 0));
        search.index = at;
        draw();
      }
    }
    return out;
  };

  const decoder = new TextDecoder();
  const onData = (chunk: string | Uint8Array) => {
    const text = filter(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    if (text !== "" && !stream.writableEnded) stream.write(text);
  };
  const onEnd = () => {
    if (!stream.writableEnded) stream.end();
  };
  input.on("data", onData);
  input.on("end", onEnd);
  input.on("close", onEnd);
  return {
    stream,
    attach(searchTarget) {
      target = searchTarget;
    },
    close() {
      input.off("data", onData);
      input.off("end", onEnd);
      input.off("close", onEnd);
      input.pause();
    },
  };
}
