/**
 * An application's output, kept in its folder so it survives a restart of the VM: `output.log` takes the
 * newest text; when it passes LOG_LIMIT bytes it becomes `output.1.log` (the one before is dropped) and a
 * new `output.log` starts. At most twice the limit is kept, and `!app logs` shows both, oldest first.
 */
import { join } from "node:path";

/** Bytes per log file before it rotates. */
export const LOG_LIMIT = 64 * 1024;

/** The log of one application; writes are queued so they land in order. */
export class AppLog {
  #queue: Promise<void> = Promise.resolve();
  #size: number | undefined;

  constructor(readonly folder: string, readonly limit = LOG_LIMIT) {}

  get #current(): string {
    return join(this.folder, "output.log");
  }

  get #previous(): string {
    return join(this.folder, "output.1.log");
  }

  /** Appends `text`; resolves once written (errors are dropped: a full disk must not stop the VM). */
  append(text: string): Promise<void> {
    const bytes = new TextEncoder().encode(text);
    this.#queue = this.#queue.then(() => this.#write(bytes)).catch(() => {});
    return this.#queue;
  }

  async #write(bytes: Uint8Array): Promise<void> {
    this.#size ??= await Deno.stat(this.#current).then((s) => s.size, () => 0);
    if (this.#size > 0 && this.#size + bytes.length > this.limit) {
      await Deno.rename(this.#current, this.#previous);
      this.#size = 0;
    }
    await Deno.writeFile(this.#current, bytes, { append: true, create: true, mode: 0o600 });
    this.#size += bytes.length;
  }

  /** Everything kept, oldest first. */
  async read(): Promise<string> {
    await this.#queue;
    const text = (path: string) => Deno.readTextFile(path).catch(() => "");
    return (await text(this.#previous)) + (await text(this.#current));
  }
}
