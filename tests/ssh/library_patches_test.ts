/**
 * The library behaviour that the SSH server's patches rely on, checked on the real libraries: ssh2's
 * Channel.destroy() is end() then close() (src/ssh/channel_destroy.ts), and ssh2 writes every packet with
 * `socket.write(packet)`, its KEXINIT right after the client's identification line (src/ssh/write_batching.ts,
 * src/ssh/kexinit_order.ts); each patch names the versions it was written against.
 *
 * Mutations caught: an upgrade of ssh2 or Deno in deno.json or package.json without a new look at the
 * patches fails the version test; an ssh2 whose destroy() or packet writes work otherwise fails the others.
 */
import ssh2 from "ssh2";
import type { Socket } from "node:net";
import { assert, assertEquals } from "../assert.ts";
import { PATCHED_LIBRARY as CHANNEL_PATCH, skipSecondEnd } from "../../src/ssh/channel_destroy.ts";
import { PATCHED_LIBRARY as KEXINIT_PATCH } from "../../src/ssh/kexinit_order.ts";
import { PATCHED_LIBRARY as BATCHING_PATCH } from "../../src/ssh/write_batching.ts";
import { PATCHED_LIBRARY as READLINE_PATCH } from "../../src/repl/readline_line.ts";
import { socketPair } from "./_sockets.ts";

const DENO_JSON = JSON.parse(Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)));
const SSH2 = DENO_JSON.imports.ssh2 as string;

Deno.test("every library patch names the ssh2 and Deno versions in use", () => {
  for (const patch of [CHANNEL_PATCH, KEXINIT_PATCH, BATCHING_PATCH]) assert(patch.includes(SSH2), patch);
  for (const patch of [KEXINIT_PATCH, BATCHING_PATCH, READLINE_PATCH]) {
    assert(patch.includes(`deno ${Deno.version.deno}`), `${patch}, running Deno ${Deno.version.deno}`);
  }
});

Deno.test("ssh2's Channel.destroy() is end() then close(), which skipSecondEnd() leaves at close() once ended", async () => {
  const { Channel } = (await import(`${SSH2}/lib/Channel.js`)).default;
  const calls: string[] = [];
  const client = { _protocol: { channelClose: () => calls.push("channelClose") } };
  const info = {
    type: "session",
    incoming: { id: 0, window: 1 << 20, packetSize: 1 << 15, state: "open" },
    outgoing: { id: 1, window: 1 << 20, packetSize: 1 << 15, state: "open" },
  };
  const open = new Channel(client, info, { server: true });
  open.end = () => calls.push("end");
  open.destroy();
  assertEquals(calls, ["end", "channelClose"]);

  calls.length = 0;
  const ended = new Channel(client, { ...info, outgoing: { ...info.outgoing, state: "open" } }, {
    server: true,
  });
  ended.end = () => calls.push("end");
  Object.defineProperty(ended, "writableEnded", { value: true });
  skipSecondEnd(ended);
  ended.destroy();
  assertEquals(calls, ["channelClose"]);
});

Deno.test("ssh2 writes each packet with socket.write(packet), and its KEXINIT right after the client's identification", async () => {
  const pair = await socketPair();
  const hostKey = ssh2.utils.generateKeyPairSync("ed25519").private;
  const server = new ssh2.Server({ hostKeys: [hostKey] }, () => {});
  try {
    const writes: unknown[][] = [];
    const write = pair.server.write;
    pair.server.write = function (this: Socket, ...args: Parameters<Socket["write"]>) {
      writes.push(args);
      return write.apply(this, args);
    } as Socket["write"];
    let received = new Uint8Array();
    const kexinit = Promise.withResolvers<void>();
    pair.client.on("data", (chunk: Uint8Array) => {
      received = new Uint8Array([...received, ...chunk]);
      const lineEnd = received.indexOf(10);
      // After the identification line: uint32 length, padding length, then the message number (20).
      if (lineEnd >= 0 && received.length > lineEnd + 6) kexinit.resolve();
    });
    // deno-lint-ignore no-explicit-any
    (server as any).injectSocket(pair.server);
    pair.client.write("SSH-2.0-OpenSSH_9.6\r\n");
    await kexinit.promise;
    const lineEnd = received.indexOf(10);
    assertEquals(new TextDecoder().decode(received.subarray(0, 8)), "SSH-2.0-");
    assertEquals(received[lineEnd + 6], 20, "a KEXINIT follows the identification line");
    assert(writes.length >= 2, `${writes.length} writes`);
    for (const args of writes) {
      assertEquals(args.length, 1, "one argument: no callback, no encoding");
      assert(args[0] instanceof Uint8Array, "a packet as bytes");
    }
  } finally {
    server.close();
    await pair.close();
  }
});
