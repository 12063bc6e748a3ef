/**
 * Drives `iridium` through a real pseudo-terminal: util-linux `script` allocates the pty and runs the
 * command in it; keystrokes go in through its stdin and the screen comes out of its stdout.
 */
import { IRIDIUM_RUN_ARGS } from "../support/cli.ts";
import { fileURLToPath } from "node:url";

/** The repository root, where main.ts and deno.json live. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** How long to wait for expected output; generous, for two shared cores running tests in parallel. */
export const WAIT_MS = 20_000;

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The screen text without escape sequences and carriage returns, so tests can match plain lines. */
export function plainText(screen: string): string {
  // deno-lint-ignore no-control-regex
  return screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
}

/** One `iridium` process on a pseudo-terminal. Dispose it (`await using`) to make sure it is gone. */
export class PtySession {
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #screen = "";
  #reading: Promise<void>;
  #status: Promise<Deno.CommandStatus>;

  /**
   * `runArgs` replaces the `deno run` arguments before the CLI's own (default IRIDIUM_RUN_ARGS); `size`
   * gives the pty a window size, which the runtime's own progress display needs before it draws.
   */
  constructor(
    args: string[],
    options: { runArgs?: readonly string[]; size?: { cols: number; rows: number } } = {},
  ) {
    const run = [Deno.execPath(), ...(options.runArgs ?? IRIDIUM_RUN_ARGS), ...args].map(shellQuote).join(
      " ",
    );
    const size = options.size;
    const command = size ? `stty cols ${size.cols} rows ${size.rows}; exec ${run}` : run;
    this.#child = new Deno.Command("script", {
      args: ["-qfec", command, "/dev/null"],
      cwd: REPO_ROOT,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1", TERM: "xterm" },
    }).spawn();
    const child = this.#child;
    this.#writer = child.stdin.getWriter();
    const decoder = new TextDecoder();
    this.#reading = (async () => {
      for await (const chunk of child.stdout) this.#screen += decoder.decode(chunk, { stream: true });
    })();
    void child.stderr.cancel();
    this.#status = child.status;
  }

  /** Everything written to the terminal so far, escape sequences included. */
  get raw(): string {
    return this.#screen;
  }

  /** Everything shown so far, as plain text. */
  get screen(): string {
    return plainText(this.#screen);
  }

  /** Types `keys` (raw bytes: "\r" is Enter, "\x03" Ctrl-C, "\x04" Ctrl-D, "\x1b[A" arrow up). */
  async type(keys: string): Promise<void> {
    await this.#writer.write(new TextEncoder().encode(keys));
  }

  /** Waits until the plain screen text, from `from` on, matches; returns the index just past the match. */
  async waitFor(pattern: string | RegExp, from = 0): Promise<number> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const text = this.screen.slice(from);
      const index = typeof pattern === "string" ? text.indexOf(pattern) : text.search(pattern);
      if (index >= 0) {
        const length = typeof pattern === "string" ? pattern.length : text.match(pattern)![0].length;
        return from + index + length;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${pattern}; screen:\n${this.screen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The exit status, waiting at most WAIT_MS. */
  async exitCode(): Promise<number> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no exit; screen:\n${this.screen}`)), WAIT_MS);
    });
    try {
      return (await Promise.race([this.#status, timeout])).code;
    } finally {
      clearTimeout(timer);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.#child.kill("SIGKILL"); // closing the pty master hangs up the REPL inside it
    } catch {
      // Already exited.
    }
    await this.#writer.close().catch(() => {});
    await this.#status;
    await this.#reading.catch(() => {});
  }
}
