/**
 * The server's KEXINIT sent after the client's, so that it carries the acknowledgement the client waits for.
 *
 * OpenSSH's client sets TCP_NODELAY only for a session with a terminal. Running a command
 * (`ssh host CMD`), Nagle's algorithm holds its second key-exchange packet (KEX_ECDH_INIT) until its first
 * (KEXINIT, 1.5 KB) is acknowledged. ssh2 sends the server's KEXINIT as soon as it has read the client's
 * identification line, which is mostly before the client's KEXINIT arrives; the server then has nothing to
 * send, the kernel delays the ACK by its 40 ms timer, and the login waits for it (strace on both ends
 * shows the client writing KEX_ECDH_INIT at once and the server reading it about 40 ms later).
 *
 * So what the server writes after the client's identification line waits until the client's next bytes
 * arrive, and then leaves in a segment that acknowledges them. A client that waits for the server's
 * KEXINIT before sending its own (the protocol lets both sides send at once, and OpenSSH, PuTTY, libssh and
 * ssh2 do) gets it after HOLD_MS.
 */
import type { Socket } from "node:net";

/**
 * The library versions this patch of the socket's write() and end() was written against: ssh2 sends its
 * KEXINIT right after reading the client's identification line (tests/ssh/library_patches_test.ts).
 */
export const PATCHED_LIBRARY = "deno 2.9.6 node:net, npm:ssh2@1.17.0";

/** Longest the server's first packet waits for the client's. */
export const HOLD_MS = 20;

/**
 * Holds what is written to `socket` from the end of the peer's identification line (its first `\n`)
 * until the peer sends anything more, or `holdMs` pass, or the socket is ended; then writes it, in order.
 * Nothing is held when the peer's next bytes came with its identification line. Call it before anything
 * reads from or writes to the socket (before ssh2 gets it, and before batchWrites, which then writes
 * through it).
 */
export function sendKexInitAfterClients(socket: Socket, holdMs = HOLD_MS): void {
  let state: "identification" | "holding" | "open" = "identification";
  let held: Parameters<Socket["write"]>[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = socket.write, end = socket.end;
  const open = () => {
    if (state === "open") return;
    state = "open";
    clearTimeout(timer);
    socket.off("data", onData);
    socket.off("close", open);
    const writes = held;
    held = [];
    if (!socket.writable) return; // destroyed meanwhile: the socket would drop them too
    for (const args of writes) write.apply(socket, args);
  };
  const onData = (chunk: Uint8Array) => {
    if (state === "holding") return open();
    const newline = chunk.indexOf(10);
    if (newline < 0) return;
    if (newline + 1 < chunk.length) return open(); // its next bytes came with it
    state = "holding";
    timer = setTimeout(open, holdMs);
  };
  socket.on("data", onData);
  socket.once("close", open);
  socket.write = function (this: Socket, ...args: Parameters<Socket["write"]>) {
    if (state !== "holding") return write.apply(this, args);
    held.push(args);
    return true;
  } as Socket["write"];
  socket.end = function (this: Socket, ...args: Parameters<Socket["end"]>) {
    open();
    return end.apply(this, args);
  } as Socket["end"];
}
