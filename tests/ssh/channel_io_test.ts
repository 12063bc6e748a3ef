/**
 * The two measured savings on the SSH thread's write path: packets written in one go leave the socket in
 * one write (src/ssh/write_batching.ts), and a channel the session has ended is not ended again when
 * Node's stream machinery destroys it (skipSecondEnd in src/ssh/session_channel.ts).
 */
import { createConnection, createServer, type Socket } from "node:net";
import { Duplex } from "node:stream";
import { skipSecondEnd } from "../../src/ssh/session_channel.ts";
import { batchWrites } from "../../src/ssh/write_batching.ts";
import { assertEquals } from "../assert.ts";

/** A loopback connection: the server's socket and the client's. */
async function socketPair(): Promise<{ server: Socket; client: Socket; close(): Promise<void> }> {
  const { promise: accepted, resolve } = Promise.withResolvers<Socket>();
  const listener = createServer(resolve);
  await new Promise<void>((ready) => listener.listen(0, "127.0.0.1", ready));
  const { port } = listener.address() as { port: number };
  const client = createConnection({ host: "127.0.0.1", port });
  const server = await accepted;
  return {
    server,
    client,
    async close() {
      const closed = Promise.all([server, client].map((s) => new Promise((done) => s.once("close", done))));
      client.destroy();
      server.destroy();
      await closed;
      await new Promise((done) => listener.close(done));
    },
  };
}

/** Collects what `socket` receives until `length` bytes have come. */
function receive(socket: Socket, length: number): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const onData = (chunk: Uint8Array) => {
      text += new TextDecoder().decode(chunk);
      if (text.length < length) return;
      socket.off("data", onData);
      resolve(text);
    };
    socket.on("data", onData);
  });
}

Deno.test("packets written in one go leave the socket in one write, in order; a later one on its own", async () => {
  const pair = await socketPair();
  try {
    batchWrites(pair.server);
    const writes: number[] = [];
    // deno-lint-ignore no-explicit-any
    const internals = pair.server as any;
    const write = internals._write, writev = internals._writev;
    internals._write = function (chunk: Uint8Array, encoding: string, callback: () => void) {
      writes.push(chunk.length);
      return write.call(this, chunk, encoding, callback);
    };
    internals._writev = function (chunks: { chunk: Uint8Array }[], callback: () => void) {
      writes.push(-chunks.length); // not expected: the batch is one chunk
      return writev.call(this, chunks, callback);
    };
    const first = receive(pair.client, 9);
    for (const packet of ["one", "two", "six"]) pair.server.write(new TextEncoder().encode(packet));
    assertEquals(writes, [], "nothing is written before the current microtasks are done");
    assertEquals(await first, "onetwosix");
    assertEquals(writes, [9]);
    const second = receive(pair.client, 4);
    pair.server.write(new TextEncoder().encode("more"));
    assertEquals(await second, "more");
    assertEquals(writes, [9, 4]);
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
