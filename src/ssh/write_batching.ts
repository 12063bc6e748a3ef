/**
 * Write batching for SSH sockets, a patch of the socket's write() and end() written against Deno 2.9.6's
 * node:net and npm:ssh2@1.17.0, which writes every SSH packet by itself with `socket.write(packet)`; the
 * reply to one command is several packets (success, data, exit status, EOF, close) written in one go.
 * tests/ssh/library_patches_test.ts fails when an upgrade changes how ssh2 writes.
 */
import { Buffer } from "node:buffer";
import type { Socket } from "node:net";

/** The library versions this patch was written against. */
export const PATCHED_LIBRARY = "deno 2.9.6 node:net, npm:ssh2@1.17.0";

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
