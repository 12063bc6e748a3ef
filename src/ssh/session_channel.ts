/**
 * One SSH session channel driving one REPL session: a shell with a pty gets the interactive REPL, a shell
 * without one (`ssh -T host < script`) and an exec (`ssh host 'LINES'`) get the piped REPL. The REPL core
 * knows no socket; this file is the whole adapter.
 */
import { Writable } from "node:stream";
import { runPiped } from "../repl/piped.ts";
import { type ReplServices, ReplSession } from "../repl/session.ts";
import { runInteractive } from "../repl/terminal.ts";
import { skipSecondEnd } from "./channel_destroy.ts";
import { PacedInput } from "./paced_input.ts";
import { InputTurns } from "./turns.ts";

/**
 * Output a session may leave unsent before its program is interrupted: a program printing in a loop to a
 * slow client would otherwise grow the server's memory without bound (the REPL writes synchronously).
 */
export const MAX_OUTPUT_BACKLOG_BYTES = 8 * 1024 * 1024;

/** What a session needs from its connection. */
export interface SessionHost {
  heapLimit: number;
  stackLimit: number;
  services: ReplServices;
  /** Marks the connection active (resets its idle timer). */
  touch(): void;
  /**
   * Claims a session slot; returns a refusal message when the connection may not run another. `stop`
   * ends the session with a message (idle timeout, server shutdown); `busy` tells whether its program
   * runs, which keeps the connection from counting as idle.
   */
  admit(stop: (message: string) => void, busy?: () => boolean): string | null;
  /** Gives the slot back. */
  release(stop: (message: string) => void): void;
}

/** The parts of an ssh2 server channel used here. */
interface Channel extends NodeJS.ReadWriteStream {
  stderr: NodeJS.WritableStream;
  writableLength: number;
  exit(status: number): void;
  close(): void;
  destroy(error?: Error): this;
  writableEnded: boolean;
}

type Answer = (() => void) | undefined;
type Accept<T> = () => T | undefined;

/** The parts of an ssh2 server Session used here. */
export interface SshSession {
  on(
    event: "pty",
    listener: (accept: Answer, reject: Answer, info: { cols: number; rows: number }) => void,
  ): void;
  on(
    event: "window-change",
    listener: (accept: Answer, reject: Answer, info: { cols: number; rows: number }) => void,
  ): void;
  on(event: "signal", listener: (accept: Answer, reject: Answer, info: { name: string }) => void): void;
  on(event: "env" | "subsystem", listener: (accept: Answer, reject: Answer) => void): void;
  on(event: "shell", listener: (accept: Accept<Channel>, reject: Answer) => void): void;
  on(
    event: "exec",
    listener: (accept: Accept<Channel>, reject: Answer, info: { command: string }) => void,
  ): void;
  on(event: "close" | "error", listener: (...args: unknown[]) => void): void;
}

/** "\n" to "\r\n" for a pty (the client's terminal is raw), with the size and 'resize' readline reads. */
class PtyOutput extends Writable {
  columns: number;
  rows: number;
  readonly isTTY = true;
  #channel: Channel;
  #onWrite: () => void;

  constructor(channel: Channel, size: { cols: number; rows: number }, onWrite: () => void) {
    super({ decodeStrings: false });
    this.#channel = channel;
    this.columns = size.cols || 80;
    this.rows = size.rows || 24;
    this.#onWrite = onWrite;
  }

  resize(size: { cols: number; rows: number }): void {
    this.columns = size.cols || this.columns;
    this.rows = size.rows || this.rows;
    this.emit("resize");
  }

  /** Writes now (the REPL's output is synchronous), translating line ends. */
  send(text: string): void {
    if (text === "") return;
    // A "\r\n" split across two writes becomes "\r\r\n", which a terminal shows the same.
    this.#channel.write(text.replace(/\r?\n/g, "\r\n"));
    this.#onWrite();
  }

  override _write(chunk: unknown, _encoding: string, callback: (error?: Error | null) => void): void {
    this.send(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk as Uint8Array));
    callback();
  }
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/**
 * The channel's input as a web stream. Iterating the Node stream itself would destroy the channel at the
 * end of the input (ssh2's destroy() closes it) before the exit status is sent. Pauses the channel while
 * 64 KiB wait, so a client cannot pile up input while a program runs (ssh2 then stops its window).
 */
function inputOf(channel: Channel): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const finish = () => {
        if (open) controller.close();
        open = false;
      };
      channel.on("data", (chunk: Uint8Array) => {
        if (!open) return;
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 1) <= 0) channel.pause();
      });
      channel.on("end", finish);
      channel.on("close", finish);
    },
    pull() {
      channel.resume();
    },
  }, new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }));
}

/** Serves one ssh2 session: the pty size, window changes, Ctrl-C as a signal, then a shell or an exec. */
export function serveSession(session: SshSession, host: SessionHost): void {
  let pty: { cols: number; rows: number } | null = null;
  let output: PtyOutput | null = null;
  let repl: ReplSession | null = null;

  session.on("error", () => {});
  session.on("pty", (accept, _reject, info) => {
    pty = { cols: info.cols, rows: info.rows };
    accept?.();
  });
  session.on("window-change", (accept, _reject, info) => {
    if (pty) pty = { cols: info.cols, rows: info.rows };
    output?.resize(info);
    accept?.();
  });
  session.on("signal", (accept, _reject, info) => {
    if (info.name === "INT") repl?.interrupt();
    accept?.();
  });
  session.on("env", (accept) => accept?.());
  session.on("subsystem", (_accept, reject) => reject?.());

  const start = async (channel: Channel, command: string | null) => {
    skipSecondEnd(channel);
    channel.on("error", () => {});
    channel.stderr.on("error", () => {});
    let stopped = false;
    const stop = (message: string) => {
      stopped = true;
      channel.stderr.write(`\r\niridium: ${message}\r\n`);
      // A program cut short did not finish: the client's status says so, as for a fault.
      channel.exit(repl?.busy ? 1 : 0);
      repl?.interrupt();
      channel.end();
    };
    const refusal = host.admit(stop, () => repl?.busy ?? false);
    if (refusal) {
      channel.stderr.write(`iridium: ${refusal}\r\n`);
      channel.exit(1);
      channel.end();
      return;
    }
    channel.on("data", () => host.touch());
    channel.on("close", () => repl?.interrupt());
    const guard = () => {
      host.touch();
      if (channel.writableLength > MAX_OUTPUT_BACKLOG_BYTES) repl?.interrupt();
    };
    let status = 1;
    try {
      if (pty && command === null) {
        const ptyOutput = output = new PtyOutput(channel, pty, guard);
        repl = new ReplSession({ ...limitsOf(host), write: (text) => ptyOutput.send(text) });
        // readline uses only the events and pause()/resume() of its input, which PacedInput has.
        const input = new PacedInput(channel) as unknown as NodeJS.ReadableStream;
        status = await runInteractive({ input, output: ptyOutput, session: repl, terminal: true });
      } else {
        // `ssh -t host 'LINES'`: an exec with a pty still needs "\r\n".
        const write = (text: string) => {
          channel.write(pty ? text.replace(/\r?\n/g, "\r\n") : text);
          guard();
        };
        repl = new ReplSession({ ...limitsOf(host), write });
        const input = command === null ? inputOf(channel) : once(`${command}\n`);
        const turns = new InputTurns();
        const gone = new AbortController();
        channel.on("close", () => gone.abort());
        status = await runPiped({ input, session: repl, pace: () => turns.next(), signal: gone.signal });
      }
    } catch (error) {
      channel.stderr.write(`iridium: error: ${error instanceof Error ? error.message : String(error)}\r\n`);
    } finally {
      host.release(stop);
      if (!stopped) channel.exit(status); // stop() has sent the status already
      channel.end();
    }
  };

  session.on("shell", (accept) => {
    const channel = accept();
    if (channel) void start(channel, null);
  });
  session.on("exec", (accept, _reject, info) => {
    const channel = accept();
    if (channel) void start(channel, info.command);
  });
}

function limitsOf(host: SessionHost) {
  return { heapLimit: host.heapLimit, stackLimit: host.stackLimit, services: host.services };
}
