/**
 * Sessions that misbehave on an authenticated connection: clients killed in the middle of an endless
 * loop, and a session flooding output to a reader that never reads. The server stops the orphaned
 * programs, keeps its memory bounded, and keeps answering everyone else.
 */
import { assert, assertEquals } from "../assert.ts";
import { sleep, type TargetServer, withTargetServer } from "./_server.ts";

/** Clock ticks per second of /proc/PID/stat on Linux. */
const TICKS_PER_SECOND = 100;
/** An endless loop typed as REPL lines (`ssh host 'LINES'` runs them in order). */
const ENDLESS = "load $0 #4\nspin: inc $1\njmp $0";
/** An endless `prts` loop: 64 bytes per turn. */
const FLOOD = `.data\nm: .asciiz '${"x".repeat(63)}\\n'\n.code\nload $0 #4\ntop: prts @m\njmp $0`;

/** Share of one core the server used over `ms`. */
async function cpuShare(server: TargetServer, ms: number): Promise<number> {
  const before = await server.cpuTicks();
  await sleep(ms);
  return (await server.cpuTicks() - before) / TICKS_PER_SECOND / (ms / 1000);
}

function spawnSsh(server: TargetServer, lines: string): Deno.ChildProcess {
  return new Deno.Command("ssh", {
    args: [...server.sshArgs(), "127.0.0.1", lines],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
}

Deno.test("clients killed mid-loop leave no program running and later sessions work", async () => {
  await withTargetServer([], async (server) => {
    for (let round = 0; round < 3; round++) {
      const clients = Array.from({ length: 3 }, () => spawnSsh(server, ENDLESS));
      try {
        await sleep(1_500); // logged in and spinning
        const busy = await cpuShare(server, 1_000);
        assert(busy > 0.3, `the loops do not seem to run (${busy.toFixed(2)} of a core)`);
      } finally {
        for (const client of clients) {
          client.kill("SIGKILL");
          await client.status;
          await client.stdout.cancel();
        }
      }
      await sleep(1_000); // the server notices the closed connections
      const idle = await cpuShare(server, 2_000);
      assert(
        idle < 0.3,
        `round ${round}: the server still uses ${idle.toFixed(2)} of a core after the kills`,
      );
      const after = await server.ssh(`load $3 #${round}\nprti $3`);
      assertEquals([after.code, after.stdout], [0, `${round}\n`], after.stderr);
    }
    assert(server.isAlive());
  });
});

Deno.test("an endless prts loop to a reader that never reads keeps the server's memory bounded", async () => {
  await withTargetServer([], async (server) => {
    const warm = await server.ssh("prti $0");
    assertEquals(warm.code, 0, warm.stderr);
    const before = await server.residentKib();
    const flooder = spawnSsh(server, FLOOD); // stdout piped and never read: the pipe fills, ssh stops reading
    let peak = before;
    try {
      for (let i = 0; i < 8; i++) {
        await sleep(500);
        peak = Math.max(peak, await server.residentKib());
      }
      const other = await server.ssh("load $4 #44\nprti $4");
      assertEquals([other.code, other.stdout], [0, "44\n"], other.stderr);
    } finally {
      flooder.kill("SIGKILL");
      await flooder.status;
      await flooder.stdout.cancel();
    }
    const grown = peak - before;
    // Generous: the session's output backlog is capped at 8 MiB (MAX_OUTPUT_BACKLOG_BYTES); 256 MiB would
    // mean the output is buffered without bound.
    assert(grown < 256 * 1024, `the server grew by ${grown} KiB while flooding`);
    await sleep(1_000);
    const after = await server.ssh("prti $0");
    assertEquals([after.code, after.stdout], [0, "0\n"], after.stderr);
    console.log(`output flood: VmRSS ${before} KiB before, peak ${peak} KiB (+${grown} KiB) over 4 s`);
  });
});
