/**
 * The server's first packet after the client's identification line waits for the client's next bytes
 * (src/ssh/kexinit_order.ts), so that it leaves with their acknowledgement; it never waits for more.
 */
import { HOLD_MS, sendKexInitAfterClients } from "../../src/ssh/kexinit_order.ts";
import { batchWrites } from "../../src/ssh/write_batching.ts";
import { assert, assertEquals } from "../assert.ts";
import { receive, socketPair, spyOnTransport } from "./_sockets.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const SERVER_IDENT = "SSH-2.0-iridium\r\n", CLIENT_IDENT = "SSH-2.0-OpenSSH_9.2p1\r\n";

Deno.test("the server's KEXINIT leaves only when the client's next bytes arrive, in order, and only once held", async () => {
  const pair = await socketPair();
  try {
    const { server, client } = pair;
    sendKexInitAfterClients(server, 60_000); // no timer in this test: only the client's bytes release it
    const log: string[] = [];
    spyOnTransport(server, log);
    server.write(bytes(SERVER_IDENT));
    assertEquals(log, [SERVER_IDENT], "before the client's identification nothing waits");
    assertEquals(await receive(client, SERVER_IDENT.length), SERVER_IDENT);

    const identification = receive(server, CLIENT_IDENT.length);
    client.write(bytes(CLIENT_IDENT));
    await identification;
    server.write(bytes("server-kexinit"));
    server.write(bytes("+more"));
    assertEquals(log, [SERVER_IDENT], "held after the client's identification line");

    const arrived = receive(client, "server-kexinit+more".length);
    const clientsKexinit = receive(server, "client-kexinit".length);
    client.write(bytes("client-kexinit"));
    assertEquals(await clientsKexinit, "client-kexinit");
    // The hold's listener came first, so by now the held writes have gone to the transport.
    assertEquals(log.slice(1).join(""), "server-kexinit+more", "written in order once the client spoke");
    assertEquals(await arrived, "server-kexinit+more");

    server.write(bytes("later"));
    assertEquals(log.at(-1), "later", "after that, nothing waits");
    assertEquals(await receive(client, 5), "later");
  } finally {
    await pair.close();
  }
});

Deno.test("a client that waits for the server's KEXINIT gets it after the hold; end() sends what is held", async () => {
  const waiting = await socketPair();
  try {
    sendKexInitAfterClients(waiting.server);
    const identification = receive(waiting.server, CLIENT_IDENT.length);
    waiting.client.write(bytes(CLIENT_IDENT));
    await identification;
    const start = performance.now();
    waiting.server.write(bytes("server-kexinit"));
    assertEquals(await receive(waiting.client, 14), "server-kexinit");
    assert(performance.now() - start >= HOLD_MS - 1, "it waited for the hold first");
  } finally {
    await waiting.close();
  }

  const ending = await socketPair();
  try {
    sendKexInitAfterClients(ending.server, 60_000);
    batchWrites(ending.server); // as the server stacks them: batches are written through the hold
    const identification = receive(ending.server, CLIENT_IDENT.length);
    ending.client.write(bytes(CLIENT_IDENT));
    await identification;
    let arrived = "";
    ending.client.on("data", (chunk: Uint8Array) => arrived += new TextDecoder().decode(chunk));
    const ended = new Promise((resolve) => ending.client.once("end", resolve));
    ending.server.write(bytes("disconnect"));
    ending.server.write(bytes("!"));
    await new Promise((resolve) => setTimeout(resolve, 0)); // the batch is flushed into the hold
    ending.server.end();
    await ended;
    assertEquals(arrived, "disconnect!", "everything held arrived before the end");
  } finally {
    await ending.close();
  }
});

Deno.test("nothing is held when the client's next bytes come with its identification line", async () => {
  const pair = await socketPair();
  try {
    sendKexInitAfterClients(pair.server, 60_000);
    const log: string[] = [];
    spyOnTransport(pair.server, log);
    const together = CLIENT_IDENT + "client-kexinit";
    const received = receive(pair.server, together.length);
    pair.client.write(bytes(together));
    assertEquals(await received, together);
    pair.server.write(bytes("server-kexinit"));
    assertEquals(log, ["server-kexinit"]);
  } finally {
    await pair.close();
  }
});
