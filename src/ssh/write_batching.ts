/**
 * Write batching for SSH sockets. ssh2 writes every SSH packet to the socket by itself, and the reply to
 * one command is several packets (success, data, exit status, EOF, close) written in one go.
 */
import { Buffer } from "node:buffer";
import type { Socket } from "node:net";

/**
 * Holds the byte chunks written to `socket` until the current microtasks are done, then writes them as
 * one buffer, so the packets of one reply leave in one socket write: with many sessions, one write per
 * packet makes socket writes a large share of the SSH thread's time (`deno task bench:peers`, W5). Nothing
 * waits for a timer or the event loop: the batch goes out before the loop turns again, through the socket's
 * ordinary write, because Deno's cork and writev complete only when the event loop polls them, which a
 * session running an endless loop on the same thread delays. A write with a callback or an encoding, and
 * end(), first send what is held.
 */
export function batchWrites(socket: Socket): void {
  let held: Uint8Array[] = [];
  const write = socket.write, end = socket.end;
  const flush = () => {
    if (held.length === 0) return;
    const chunks = held;
    held = [];
    if (!socket.writable) return; // destroyed meanwhile: the socket would drop them too
    write.call(socket, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  };
  socket.write = function (this: Socket, ...args: Parameters<Socket["write"]>) {
    const [chunk] = args;
    if (args.length > 1 || !(chunk instanceof Uint8Array)) {
      flush();
      return write.apply(this, args);
    }
    if (held.length === 0) queueMicrotask(flush);
    held.push(chunk);
    return socket.writableLength < socket.writableHighWaterMark;
  } as Socket["write"];
  socket.end = function (this: Socket, ...args: Parameters<Socket["end"]>) {
    flush();
    return end.apply(this, args);
  } as Socket["end"];
}
