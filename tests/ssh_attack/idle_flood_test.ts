/**
 * Connections that never authenticate. They are limited apart from authenticated ones (src/ssh/admission.ts),
 * so a flood of them never takes an authorized user's place:
 * - 200 silent connections from one address (127.0.0.2), reopened as soon as the server drops one, against
 *   the defaults: the server holds at most `--ssh-max-startups-per-source` of them and drops the rest at
 *   once, and the authorized user (from 127.0.0.1) logs in and runs a command within a bound all along;
 * - the silent connections it holds end at the authentication deadline by themselves.
 *
 * Mutations checked: without the per-source cap (Admission.admit) the flood fills the first stage and the
 * user is dropped; counting unauthenticated connections against --ssh-max-connections again (the former
 * design) refuses the user with "too many connections".
 */
import net from "node:net";
import { assert, assertEquals } from "../assert.ts";
import { sleep, withTargetServer } from "./_server.ts";

const SILENT = 200;
/** `--ssh-auth-timeout` for this test: short, so the suite does not wait the default 30 s. */
const AUTH_TIMEOUT_SECONDS = 5;
/** Generous bound on the user's login + exec (0.1-0.5 s when idle). */
const OTHERS_BOUND_MS = 6_000;

/** A connection from 127.0.0.2 that sends at most a version line; resolves when the server ends it. */
function silentConnection(port: number, sayHello: boolean, onOpen: () => void): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port, localAddress: "127.0.0.2" });
    socket.on("connect", () => {
      onOpen();
      if (sayHello) socket.write("SSH-2.0-silent\r\n");
    });
    socket.on("data", () => {});
    socket.on("error", () => {});
    socket.on("close", () => resolve());
  });
}

Deno.test("200 silent connections from one address, reopened when dropped, never lock out a user", async () => {
  await withTargetServer([
    "--ssh-max-connections",
    "20",
    "--ssh-auth-timeout",
    String(AUTH_TIMEOUT_SECONDS),
  ], async (server) => {
    let running = true;
    let opened = 0;
    const attacker = async (i: number) => {
      while (running) await silentConnection(server.port, i % 2 === 0, () => opened++);
    };
    const attackers = Array.from({ length: SILENT }, (_, i) => attacker(i));
    try {
      await sleep(1_000);
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const result = await server.ssh(`load $2 #${i}\nprti $2`);
        const ms = performance.now() - started;
        assertEquals([result.code, result.stdout], [0, `${i}\n`], result.stderr);
        assert(ms < OTHERS_BOUND_MS, `login + exec took ${ms.toFixed(0)} ms during the flood`);
        await sleep(AUTH_TIMEOUT_SECONDS * 300);
      }
      assert(server.isAlive());
    } finally {
      running = false;
    }
    const ended = await Promise.race([
      Promise.all(attackers).then(() => true),
      sleep(AUTH_TIMEOUT_SECONDS * 1000 + 10_000).then(() => false),
    ]);
    assert(ended, "silent connections left open past the authentication deadline");
    const after = await server.ssh("load $2 #5\nprti $2");
    assertEquals([after.code, after.stdout], [0, "5\n"], after.stderr);
    console.log(
      `idle flood: ${opened} silent connections opened and dropped while the user logged in 5 times`,
    );
  });
});
