/** Loopback sockets for tests of the SSH server's socket layer (write batching, packet order). */
import { createConnection, createServer, type Socket } from "node:net";

/** A loopback connection: the server's socket and the client's. */
export async function socketPair(): Promise<{ server: Socket; client: Socket; close(): Promise<void> }> {
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
export function receive(socket: Socket, length: number): Promise<string> {
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

/**
 * Records the chunks `socket` hands to its transport (its `_write` and `_writev`), as text, in `log`; a
 * `_writev` of several chunks is recorded as one entry of them joined by `+`.
 */
export function spyOnTransport(socket: Socket, log: string[]): void {
  // deno-lint-ignore no-explicit-any
  const internals = socket as any;
  const write = internals._write, writev = internals._writev;
  const text = (chunk: Uint8Array) => new TextDecoder().decode(chunk);
  internals._write = function (chunk: Uint8Array, encoding: string, callback: () => void) {
    log.push(text(chunk));
    return write.call(this, chunk, encoding, callback);
  };
  internals._writev = function (chunks: { chunk: Uint8Array }[], callback: () => void) {
    log.push(chunks.map(({ chunk }) => text(chunk)).join("+"));
    return writev.call(this, chunks, callback);
  };
}
