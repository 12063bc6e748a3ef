/**
 * Raw TCP against the SSH port: random bytes, random bytes after a valid version line, and real client
 * handshakes cut short at random points. Each connection ends (the server closes it, or the test does
 * after a moment), the server stays up, and the authorized user still gets in.
 */
import { assert, assertEquals } from "../assert.ts";
import { Random } from "../../fuzz/random.ts";
import { inBatches, sleep, withTargetServer } from "./_server.ts";

const CONNECTIONS = 120;
const PARALLEL = 12;
/** How long a connection may stay open after its bytes before the test itself closes it. */
const LINGER_MS = 1_500;

/** The first bytes a real client sends: OpenSSH's version line and the start of a KEXINIT packet. */
async function realClientHello(): Promise<Uint8Array> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const fakePort = (listener.addr as Deno.NetAddr).port;
  const child = new Deno.Command("ssh", {
    args: [
      "-F",
      "/dev/null",
      "-o",
      "BatchMode=yes",
      "-o",
      "ConnectTimeout=5",
      "-p",
      String(fakePort),
      "127.0.0.1",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    const conn = await listener.accept();
    await conn.write(new TextEncoder().encode("SSH-2.0-OpenSSH_9.2\r\n"));
    const buffer = new Uint8Array(4096);
    let length = 0;
    while (length < 600) {
      const n = await conn.read(buffer.subarray(length));
      if (n === null) break;
      length += n;
    }
    conn.close();
    return buffer.slice(0, length);
  } finally {
    listener.close();
    child.kill("SIGKILL");
    await child.status;
  }
}

/** Sends `bytes`; resolves to "closed by server" or "closed by test" after LINGER_MS. */
async function poke(port: number, bytes: Uint8Array): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(bytes).catch(() => {});
    const buffer = new Uint8Array(65536);
    const deadline = Date.now() + LINGER_MS;
    while (Date.now() < deadline) {
      const read = conn.read(buffer).catch(() => null);
      const n = await Promise.race([read, sleep(deadline - Date.now()).then(() => -1)]);
      if (n === null) return "closed by server";
      if (n === -1) break;
    }
    return "closed by test";
  } finally {
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

Deno.test("random bytes and truncated handshakes end their connections and leave the server serving", async () => {
  const hello = await realClientHello();
  assert(hello.length > 100, `the client sent only ${hello.length} bytes`);
  await withTargetServer([], async (server) => {
    const version = new TextEncoder().encode("SSH-2.0-attacker\r\n");
    const outcomes = await inBatches(CONNECTIONS, PARALLEL, async (i) => {
      const random = new Random(0x6a7ba6e + i);
      let bytes: Uint8Array;
      switch (i % 4) {
        case 0: // noise
          bytes = random.bytes(random.range(1, 8192));
          break;
        case 1: // a valid version line, then noise
          bytes = new Uint8Array([...version, ...random.bytes(random.range(1, 2048))]);
          break;
        case 2: // a real client's opening, cut short
          bytes = hello.slice(0, random.int(hello.length));
          break;
        default: // a real client's opening with a few bytes changed
          bytes = hello.slice();
          for (let k = 0; k < 4; k++) bytes[random.int(bytes.length)] = random.int(256);
      }
      return await poke(server.port, bytes);
    });
    const closedByServer = outcomes.filter((o) => o === "closed by server").length;
    assert(server.isAlive(), server.stderr);
    const after = await server.ssh("load $1 #9\nprti $1");
    assertEquals([after.code, after.stdout], [0, "9\n"], after.stderr);
    console.log(`garbage: ${CONNECTIONS} connections, ${closedByServer} closed by the server, server alive`);
  });
});
