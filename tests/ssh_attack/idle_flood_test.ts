/**
 * 200 connections that never authenticate, against `--ssh-max-connections 20`.
 *
 * What is right, and what this test holds the server to: a connection counts against the limit from the
 * moment it is accepted, authenticated or not, so a flood of silent connections can fill the server, but
 * only for the authentication deadline (`--ssh-auth-timeout`, 30 s by default, 10 s here): below the limit the
 * authorized user gets in; at the limit they are refused with a message (never a hang); once the server
 * has dropped the silent connections at their deadline, they get in again without anyone's help.
 */
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { inBatches, sleep, withTargetServer } from "./_server.ts";

const LIMIT = 20;
const SILENT = 200;
/** `--ssh-auth-timeout` for this test: short, so the suite does not wait the default 30 s. */
const AUTH_TIMEOUT_SECONDS = 10;

/** A connection that sends at most a version line, then nothing; `closed` resolves when the server ends it. */
async function silentConnection(port: number, sayHello: boolean) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  if (sayHello) await conn.write(new TextEncoder().encode("SSH-2.0-silent\r\n")).catch(() => {});
  const closed = (async () => {
    const buffer = new Uint8Array(4096);
    try {
      while (await conn.read(buffer) !== null) { /* the server's version line and KEXINIT */ }
    } catch { /* reset by the server */ }
    return Date.now();
  })();
  return { conn, closed };
}

Deno.test("200 silent connections are held to --ssh-max-connections and dropped at the auth deadline", async () => {
  await withTargetServer([
    "--ssh-max-connections",
    String(LIMIT),
    "--ssh-auth-timeout",
    String(AUTH_TIMEOUT_SECONDS),
  ], async (server) => {
    const opened: Awaited<ReturnType<typeof silentConnection>>[] = [];
    try {
      // Below the limit: the authorized user still gets in.
      for (let i = 0; i < LIMIT - 2; i++) opened.push(await silentConnection(server.port, i % 2 === 0));
      await sleep(300);
      const below = await server.ssh("prti $0");
      assertEquals([below.code, below.stdout], [0, "0\n"], below.stderr);

      // At the limit: refused with a message, not left hanging.
      const started = Date.now();
      opened.push(
        ...await inBatches(SILENT - opened.length, 20, (i) => silentConnection(server.port, i % 2 === 0)),
      );
      const refused = await server.ssh("prti $0");
      assertEquals([refused.code, refused.stdout], [1, ""]);
      assertStringIncludes(refused.stderr, `too many connections to this server (at most ${LIMIT})`);

      // The server ends every silent connection by itself at the deadline.
      const deadline = AUTH_TIMEOUT_SECONDS * 1000 + 15_000;
      const closedAt = await Promise.race([
        Promise.all(opened.map((c) => c.closed)),
        sleep(deadline).then(() => null),
      ]);
      assert(
        closedAt !== null,
        `some of the ${SILENT} silent connections were still open after ${deadline} ms`,
      );
      const latest = Math.max(...closedAt) - started;
      assert(server.isAlive());
      // The server half-closes first and frees the slot when the socket is gone (it destroys it after a
      // grace period if the client does not close its side): a few tries, a second apart.
      let after = await server.ssh("load $2 #5\nprti $2");
      for (let tries = 1; after.code !== 0 && tries < 10; tries++) {
        await sleep(1_000);
        after = await server.ssh("load $2 #5\nprti $2");
      }
      assertEquals([after.code, after.stdout], [0, "5\n"], after.stderr);
      const freed = Date.now() - started;
      console.log(
        `idle flood: ${SILENT} silent connections, all ended by the server within ${latest} ms; ` +
          `the authorized user in again at ${freed} ms`,
      );
    } finally {
      for (const { conn } of opened) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
    }
  });
});
