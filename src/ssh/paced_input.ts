/**
 * The input of a session with a pty, on its way to node:readline (src/repl/terminal.ts). readline edits
 * the line one key at a time, at a cost that grows with the line (about 5 µs per character of the line
 * for every key in Deno's node:readline): a pasted 8 KiB line held the SSH thread for 40 s. Here the
 * bytes are handed on in small pieces within an input turn (turns.ts), each line is cut past
 * MAX_LINE_BYTES (the session then refuses it whole), and the channel is paused while a backlog waits, so
 * SSH flow control (no window adjust) holds the client back instead of the server's memory.
 */
import { Buffer } from "node:buffer";
import { EventEmitter } from "node:events";
import { MAX_LINE_BYTES } from "../repl/lines.ts";
import { InputTurns } from "./turns.ts";

/**
 * Bytes handed to readline at a time: one key each, as a terminal sends them when typed, since one key
 * at the end of a long line costs a few milliseconds.
 */
const PIECE_BYTES = 1;
/** Unread input past which the channel is paused. */
export const MAX_INPUT_BACKLOG_BYTES = 64 * 1024;

/** The part of an ssh2 channel read here. */
interface Source {
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end" | "close", listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/**
 * `source`'s bytes, paced and with over-long lines cut, as the 'data' and 'end' events readline listens
 * to; see the file comment. It emits 'data' itself rather than through a Readable's buffer, which would
 * hand readline everything queued in one go and so defeat the pacing.
 */
export class PacedInput extends EventEmitter {
  #source: Source;
  #queue: Uint8Array[] = [];
  #queued = 0;
  #ended = false;
  #waiting = false; // a turn is over: the next one comes after a timer
  #paused = false; // readline asked for no more (pause())
  #finished = false;
  #lineBytes = 0; // bytes of the current line handed on (up to MAX_LINE_BYTES + 1)
  #turns = new InputTurns();

  constructor(source: Source) {
    super();
    this.#source = source;
    source.on("data", (chunk) => {
      this.#queue.push(chunk);
      this.#queued += chunk.length;
      if (this.#queued > MAX_INPUT_BACKLOG_BYTES) source.pause();
      if (!this.#waiting) this.#turns.restart();
      this.#pump();
    });
    const finish = () => {
      this.#ended = true;
      this.#pump();
    };
    source.on("end", finish);
    source.on("close", () => {
      // The client is gone: what it typed ahead has nobody to answer.
      this.#queue = [];
      this.#queued = 0;
      finish();
    });
  }

  /** Stops handing on input (readline calls it); unread input then holds the channel back. */
  pause(): this {
    this.#paused = true;
    return this;
  }

  /** Hands on input again. */
  resume(): this {
    this.#paused = false;
    this.#pump();
    return this;
  }

  /** True while paused. */
  isPaused(): boolean {
    return this.#paused;
  }

  /** The next piece of input with over-long lines cut, or null when the queue is empty. */
  #nextPiece(): Uint8Array | null {
    while (this.#queue.length > 0) {
      const head = this.#queue[0];
      const size = Math.min(head.length, PIECE_BYTES);
      const piece = head.subarray(0, size);
      if (size === head.length) this.#queue.shift();
      else this.#queue[0] = head.subarray(size);
      this.#queued -= size;
      const kept = this.#cutLines(piece);
      if (kept.length > 0) return kept;
    }
    return null;
  }

  /** Drops the bytes of a line past MAX_LINE_BYTES + 1; a CR or LF starts the next line. */
  #cutLines(piece: Uint8Array): Uint8Array {
    const kept: number[] = [];
    for (const byte of piece) {
      if (byte === 0x0d || byte === 0x0a) {
        this.#lineBytes = 0;
        kept.push(byte);
      } else if (this.#lineBytes++ <= MAX_LINE_BYTES) {
        kept.push(byte);
      }
    }
    return kept.length === piece.length ? piece : Uint8Array.from(kept);
  }

  #pump(): void {
    if (this.#waiting || this.#finished) return;
    while (!this.#paused) {
      if (this.#turns.over) {
        this.#waiting = true;
        void this.#turns.next().then(() => {
          this.#waiting = false;
          this.#pump();
        });
        return;
      }
      const piece = this.#nextPiece();
      if (piece === null) break;
      this.emit("data", Buffer.from(piece.buffer, piece.byteOffset, piece.length));
    }
    if (this.#queued <= MAX_INPUT_BACKLOG_BYTES / 2) this.#source.resume();
    if (this.#ended && this.#queue.length === 0) {
      this.#finished = true;
      this.emit("end");
      this.emit("close");
    }
  }
}
