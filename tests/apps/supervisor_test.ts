/**
 * The supervisor on a real pool with short timings: restart policies, back-off then `failed`, start by
 * hand, a replaced deploy running the new code, `whereis` names, and the output in the logs.
 * Mutations checked: a replaced deploy keeping the old process (it is not killed), names not cleared
 * when the process is stopped (whereis still answers). Also caught: the policy ignored (the never
 * application restarts, its log differs).
 */
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { AppStore } from "../../src/apps/app_store.ts";
import { Supervisor } from "../../src/apps/supervisor.ts";
import { WorkerPool } from "../../src/pool/worker_pool.ts";
import { assembleText } from "../support/assemble.ts";
import { withTempDir } from "../support/temp_dir.ts";

const TIMING = { initialBackoffMs: 20, maxBackoffMs: 100, windowMs: 60_000, maxRestarts: 3 };

async function eventually<T>(probe: () => T | Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function withSupervisor(body: (s: Supervisor, pool: WorkerPool, store: AppStore) => Promise<void>) {
  await withTempDir(async (root) => {
    const pool = new WorkerPool(2);
    const store = new AppStore(root);
    const supervisor = new Supervisor({
      store,
      pool,
      heapLimit: 1 << 16,
      stackLimit: 64,
      timing: TIMING,
      pollMs: 50,
    });
    try {
      await supervisor.start();
      await body(supervisor, pool, store);
    } finally {
      supervisor.close();
      pool.close();
    }
  });
}

const status = (s: Supervisor, name: string) => s.list().find((a) => a.name === name);

Deno.test("a faulting application backs off, doubling, then fails; started by hand it runs again", async () => {
  await withSupervisor(async (supervisor) => {
    await supervisor.deploy("crash", assembleText("load $0 #0\ndiv $0 $0 $0\nhlt"));
    const failed = await eventually(() => status(supervisor, "crash"), (a) => a?.state === "failed");
    assertEquals(failed?.restarts, 3);
    assertMatch(failed?.lastFault ?? "", /^fault: division by zero/);
    const log = await supervisor.logs("crash");
    assertMatch(log, /restarting in 0.02 s\n[^]*restarting in 0.04 s\n[^]*restarting in 0.08 s\n[^]*failed/);
    assertMatch(await supervisor.startApp("crash"), /^started 'crash' \(process \d+\)$/);
    await eventually(
      () => status(supervisor, "crash"),
      (a) => a?.state === "backing off" || a?.state === "running",
    );
  });
});

Deno.test("never and on-fault stop after a normal end; always restarts it", async () => {
  await withSupervisor(async (supervisor) => {
    const done = assembleText("load $0 #1\nprti $0\nhlt");
    await supervisor.deploy("once", done, "never");
    await supervisor.deploy("calm", done, "on-fault");
    await supervisor.deploy("again", done, "always");
    await eventually(() => supervisor.list(), (l) => l.filter((a) => a.state === "stopped").length === 2);
    await eventually(() => status(supervisor, "again"), (a) => (a?.restarts ?? 0) >= 2);
    assertEquals(status(supervisor, "once")?.restarts, 0);
    assertEquals(
      await supervisor.logs("once"),
      "-- deployed: restart never\n-- started: process 1\n1\n-- halted; not restarted (restart never)\n",
    );
  });
});

Deno.test("a waiting application is named for whereis; a replaced deploy runs the new code", async () => {
  await withSupervisor(async (supervisor, pool, store) => {
    await supervisor.deploy("svc", assembleText("load $0 #1\nprti $0\nrecv $1 $2\nhlt"));
    const waiting = await eventually(() => status(supervisor, "svc"), (a) => a?.state === "waiting");
    assertEquals(pool.whereis("svc"), waiting!.pid);
    // Replaced from "another process": straight into the store, noticed by polling.
    await store.deploy("svc", assembleText("load $0 #2\nprti $0\nrecv $1 $2\nhlt"));
    const replaced = await eventually(
      () => status(supervisor, "svc"),
      (a) => a?.state === "waiting" && a.pid !== waiting!.pid,
    );
    assertEquals((await pool.list()).find((p) => p.pid === waiting!.pid)?.state, "killed");
    assertEquals(await pool.output(replaced!.pid!), "2\n");
    assertEquals(pool.whereis("svc"), replaced!.pid);
    assertEquals(supervisor.stopApp("svc"), "stopped 'svc'");
    assertEquals(pool.whereis("svc"), 0);
    await supervisor.remove("svc");
    assertEquals(supervisor.list(), []);
  });
});

Deno.test("a message to an application by name reaches it and shows in its log", async () => {
  await withSupervisor(async (supervisor, pool) => {
    await supervisor.deploy("echo", assembleText("top: recv $0 $1\nprti $0\ndjmp @top"), "always");
    await eventually(() => status(supervisor, "echo"), (a) => a?.state === "waiting");
    assertMatch(await pool.send("echo", 31), /^sent 31 to process \d+$/);
    await eventually(() => supervisor.logs("echo"), (text) => text.endsWith("31\n"));
    assert(!(await pool.send("nobody", 1).then(() => true, () => false)));
  });
});
