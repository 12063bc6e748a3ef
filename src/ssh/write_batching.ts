/**
 * Write batching for SSH sockets. ssh2 writes every SSH packet to the socket by itself, and the reply to
 * one command is several packets (success, data, exit status, EOF, close) written in one go.
 */
import { Buffer } from "node:buffer";
import type { Socket } from "node:net";

/**
 * Holds the byte chunks written to `socket` until the current microtasks are done, then writes them as
 * one buffer, so the packets of one reply leave in one socket write. In a profile of 200 sessions running
 * a command at once, socket writes were a third of the SSH thread's time without it (bench/RESULTS.md).
 * Nothing waits for a timer or the event loop: the batch goes out before the loop turns again, through
 * the socket's ordinary write (cork and writev were tried: Deno's writev completes only when the event
 * loop polls it, and a session running an endless loop on the same thread then delayed other sessions'
 * replies by about 200 ms). A write with a callback or an encoding, and end(), first send what is held.
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
