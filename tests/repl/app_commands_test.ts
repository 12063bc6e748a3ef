/**
 * `!send`, `!apps`, `!app` and `!deploy` in a session: their checks, and the session's own program as a
 * sender outside any process. Mutations checked: `!send` accepting 2^31 (the range pair), `!app`
 * accepting any action, the session's `send` ignoring the pool (the flag stays 0), `!deploy` not
 * checking its name before reading the file (the missing file's error would show instead).
 */
import { assertEquals, assertMatch } from "../assert.ts";
import { sessionProcesses } from "../../src/pool/session_processes.ts";
import { WorkerPool } from "../../src/pool/worker_pool.ts";
import { sessionHost } from "../../src/vm/process_host.ts";
import { createSession, feed } from "./_helpers.ts";

Deno.test("the message and application commands check their words and say when there is no pool", async () => {
  const bare = createSession();
  assertEquals(await feed(bare, "!apps"), "error: not available in this session: there is no thread pool\n");
  const pool = new WorkerPool(1);
  try {
    const processes = sessionProcesses(pool, { owner: "local", heapLimit: 1 << 16, stackLimit: 64 });
    const repl = createSession({ services: { processes } });
    assertEquals(await feed(repl, "!send 1 x"), "error: invalid value 'x': expected a 32-bit integer\n");
    assertEquals(
      await feed(repl, "!send 1 2147483648"),
      "error: invalid value '2147483648': expected a 32-bit integer\n",
    );
    assertEquals(
      await feed(repl, "!send 1 2147483647"),
      "error: not delivered: process 1 does not exist, has ended or has a full mailbox\n",
    );
    assertEquals(await feed(repl, "!send web 1"), "error: no running application named 'web'\n");
    assertEquals(
      await feed(repl, "!app bounce web"),
      "error: unknown action 'bounce': expected start, stop, restart or logs\n",
    );
    assertEquals(
      await feed(repl, "!deploy Web missing.iasm"),
      "error: invalid application name 'Web': expected [a-z][a-z0-9_-]{0,31}\n",
    );
    assertEquals(
      await feed(repl, "!deploy web missing.iasm sometimes"),
      "error: invalid restart policy 'sometimes': expected always, on-fault or never\n",
    );
    assertEquals(await feed(repl, "!apps"), "error: applications are not available here\n");
  } finally {
    pool.close();
  }
});

Deno.test("the local session's program sends to a pool process, which answers to PID 0", async () => {
  const pool = new WorkerPool(1);
  try {
    const processes = sessionProcesses(pool, { owner: "local", heapLimit: 1 << 16, stackLimit: 64 });
    const repl = createSession({ services: { processes, processHost: sessionHost(pool) } });
    assertMatch(await feed(repl, "!spawn"), /error: the session's program is empty/);
    const { pid } = await pool.spawn({
      program: (await import("../support/assemble.ts")).assembleText("recv $0 $1\nprti $0\nprti $1\nhlt"),
      source: "t",
      owner: "t",
      heapLimit: 1 << 16,
      stackLimit: 64,
    });
    await feed(repl, `load $1 #${pid}`, "load $2 #99", "send $1 $2");
    assertMatch(await feed(repl, "!registers"), /equal_flag true/);
    await feed(repl, "load $1 #999", "send $1 $2");
    assertMatch(await feed(repl, "!registers"), /equal_flag false/);
    await pool.wait(pid, AbortSignal.timeout(15_000));
    assertEquals(await pool.output(pid), "99\n0\n");
    assertEquals(
      await feed(repl, "self $7", "prti $7", "recv $0 $1"),
      "0\nfault: no mailbox at 0x001c (recv $0 $1)\n",
    );
  } finally {
    pool.close();
  }
});
