/**
 * Input floods from an authorized user: a long line pasted into a pty, a piped script of 20,000 lines, an
 * endless stream of comment lines, over-long lines in every mode. While each runs and right after, another
 * user's login + exec completes within a bound, and the server's memory stays bounded.
 *
 * Mutations checked: without the pacing of pty input (src/ssh/paced_input.ts handing whole chunks to
 * readline) the paste test's exec waits past its bound; without the input turns of piped sessions
 * (src/ssh/turns.ts) the 20,000-line test does; without the line limit (MAX_LINE_BYTES check in
 * ReplSession.handleLine) the over-long-line test sees no refusal.
 */
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { SshChild } from "../ssh/_harness.ts";
import { sleep, type TargetServer, withTargetServer } from "./_server.ts";

/**
 * Generous bound on another user's login + exec during an attack: about 0.1-0.5 s on an idle machine, and
 * the attacks below made it 10-40 s when one session's input held the SSH thread.
 */
const OTHERS_BOUND_MS = 6_000;

/** The other user's login + exec; resolves to its duration after checking its output. */
async function othersExec(server: TargetServer, value: number): Promise<number> {
  const started = performance.now();
  const result = await server.ssh(`load $2 #${value}\nprti $2`);
  const ms = performance.now() - started;
  assertEquals([result.code, result.stdout], [0, `${value}\n`], result.stderr);
  assert(ms < OTHERS_BOUND_MS, `another user's login + exec took ${ms.toFixed(0)} ms during the attack`);
  return ms;
}

Deno.test("a long line pasted into a pty does not hold up other users, and is refused", async () => {
  await withTargetServer([], async (server) => {
    const before = await server.residentKib();
    const typist = new SshChild(["-tt", ...server.sshArgs(), "127.0.0.1"]);
    try {
      await typist.waitFor(">>> ");
      await typist.write("a".repeat(8 * 1024)); // no line break: readline edits it key by key
      await sleep(300);
      for (let i = 0; i < 3; i++) await othersExec(server, 10 + i);
      await typist.write("\r");
      await typist.waitFor("is too long: expected at most 4096 bytes", 0, 60_000);
      await typist.write("load $1 #5\rprti $1\r");
      await typist.waitFor("5\r\n");
      await othersExec(server, 20);
    } finally {
      typist.kill();
      await typist.status;
    }
    const grown = await server.residentKib() - before;
    assert(grown < 128 * 1024, `the server grew by ${grown} KiB`); // generous: input is capped at 64 KiB
  });
});

Deno.test("a piped script of 20,000 lines does not hold up other users", async () => {
  await withTargetServer([], async (server) => {
    const sender = new SshChild(["-T", ...server.sshArgs(), "127.0.0.1"]);
    try {
      const writing = sender.write("nop\n".repeat(20_000) + "load $1 #9\nprti $1\n");
      await sleep(500);
      for (let i = 0; i < 3; i++) await othersExec(server, 30 + i);
      await writing;
      await sender.waitFor("9\n", 0, 120_000);
      await sender.close();
    } finally {
      sender.kill();
      await sender.status;
    }
    await othersExec(server, 40);
  });
});

Deno.test("an endless stream of comment lines keeps memory bounded and others served", async () => {
  await withTargetServer([], async (server) => {
    const before = await server.residentKib();
    const sender = new SshChild(["-T", ...server.sshArgs(), "127.0.0.1"]);
    let peak = before;
    let sending = true;
    const chunk = "; a comment line to fill the history\n".repeat(2_000);
    const writer = (async () => {
      while (sending) await sender.write(chunk).catch(() => sending = false);
    })();
    try {
      for (let i = 0; i < 4; i++) {
        await sleep(1_000);
        await othersExec(server, 50 + i);
        peak = Math.max(peak, await server.residentKib());
      }
    } finally {
      sending = false;
      sender.kill();
      await sender.status;
      await writer;
    }
    await othersExec(server, 60);
    const grown = peak - before;
    // Generous: history holds 1,000 lines and unread input 64 KiB plus SSH's window; the unbounded history
    // grew 240 MiB in a minute.
    assert(grown < 128 * 1024, `the server grew by ${grown} KiB while the lines streamed`);
  });
});

Deno.test("a line over 4096 bytes is refused with one line in exec and piped sessions", async () => {
  await withTargetServer([], async (server) => {
    const long = `load $1 #1 ; ${"x".repeat(5_000)}`;
    const exec = await server.ssh(`${long}\nload $1 #3\nprti $1`);
    assertEquals(exec.stdout, "error: line 1 is too long: expected at most 4096 bytes; discarded\n3\n");
    const piped = new SshChild(["-T", ...server.sshArgs(), "127.0.0.1"]);
    await piped.write(`prti $1\n${"y".repeat(100_000)}\nprti $1\n`);
    const status = await piped.close();
    assertEquals(status.code, 0, piped.stderr);
    assertMatch(piped.stdout, /^0\nerror: line 2 is too long: expected at most 4096 bytes; discarded\n0\n$/);
  });
});
