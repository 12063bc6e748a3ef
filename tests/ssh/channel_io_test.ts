/**
 * The two measured savings on the SSH thread's write path: packets written in one go leave the socket in
 * one write (src/ssh/write_batching.ts), and a channel the session has ended is not ended again when
 * Node's stream machinery destroys it (src/ssh/channel_destroy.ts).
 */
import { Duplex } from "node:stream";
import { skipSecondEnd } from "../../src/ssh/channel_destroy.ts";
import { batchWrites } from "../../src/ssh/write_batching.ts";
import { assertEquals } from "../assert.ts";
import { receive, socketPair, spyOnTransport } from "./_sockets.ts";

Deno.test("packets written in one go leave the socket in one write, in order; a later one on its own", async () => {
  const pair = await socketPair();
  try {
    batchWrites(pair.server);
    const log: string[] = [];
    spyOnTransport(pair.server, log);
    const first = receive(pair.client, 9);
    for (const packet of ["one", "two", "six"]) pair.server.write(new TextEncoder().encode(packet));
    assertEquals(log, [], "nothing is written before the current microtasks are done");
    assertEquals(await first, "onetwosix");
    assertEquals(log, ["onetwosix"], "one chunk, in order");
    const second = receive(pair.client, 4);
    pair.server.write(new TextEncoder().encode("more"));
    assertEquals(await second, "more");
    assertEquals(log, ["onetwosix", "more"]);
    // end() right after a write sends what is held first, then ends.
    const last = receive(pair.client, 4);
    const ended = new Promise((resolve) => pair.client.once("end", resolve));
    pair.server.write(new TextEncoder().encode("bye!"));
    pair.server.end();
    assertEquals(await last, "bye!");
    await ended;
  } finally {
    await pair.close();
  }
});

/** Like ssh2's Channel: destroy() is end() then close(), and every call is counted. */
class FakeChannel extends Duplex {
  readonly calls: string[] = [];
  stderr = this;
  override _read(): void {}
  override _write(_chunk: unknown, _encoding: string, callback: () => void): void {
    callback();
  }
  override end(...args: unknown[]): this {
    this.calls.push("end");
    // deno-lint-ignore no-explicit-any
    return super.end(...(args as [any]));
  }
  exit(): void {}
  close(): void {
    this.calls.push("close");
  }
  override destroy(): this {
    this.end();
    this.close();
    return this;
  }
}

Deno.test("a channel the session has ended is only closed when destroyed, not ended again", () => {
  const ended = new FakeChannel();
  skipSecondEnd(ended);
  ended.end();
  ended.destroy();
  assertEquals(ended.calls, ["end", "close"]);

  const open = new FakeChannel();
  skipSecondEnd(open);
  open.destroy();
  assertEquals(open.calls, ["end", "close"], "before the session ends it, destroy() is ssh2's own");
});
