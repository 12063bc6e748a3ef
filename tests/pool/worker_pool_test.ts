/**
 * The worker pool: queueing, kills, output, faults, the table's bounds.
 *
 * Mutation caught: `!kill` leaving the guest spinning (WorkerPool's kill flag not set before terminate())
 * fails "a killed endless loop stops using the CPU", which measures the CPU time of a process after the kill.
 */
import { assert, assertEquals, assertMatch, assertRejects } from "../assert.ts";
import { type SpawnRequest, WorkerPool } from "../../src/pool/worker_pool.ts";
import { buildProgram, ENDLESS_LOOP } from "../support/program.ts";
import type { Program } from "../../src/bytecode/program.ts";
import type { ProcessInfo } from "../../src/pool/process_table.ts";

const LIMITS = { heapLimit: 1 << 20, stackLimit: 1024 };

function request(program: Program, source = "test program"): SpawnRequest {
  return { program, source, owner: "test", ...LIMITS };
}

/**
 * Polls until `check` holds, for at most `ms`: generous, as workers start slowly on a busy shared machine
 * (the test suite runs in parallel); the bound only turns a hang into a failure.
 */
async function eventually(check: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function states(pool: WorkerPool): Promise<string[]> {
  return (await pool.list()).map((p) => p.state);
}

/** Prints 1, 2, 3 with prti, then halts. */
const COUNT_TO_THREE = buildProgram([
  ["load", 0, 1],
  ["prti", 0],
  ["inc", 0],
  ["prti", 0],
  ["inc", 0],
  ["prti", 0],
  ["hlt"],
]);

Deno.test("a pool of 2 runs 2 of 4 endless loops and queues the rest in order; a kill starts the next", async () => {
  const pool = new WorkerPool(2);
  try {
    const spawned: ProcessInfo[] = [];
    for (let i = 0; i < 4; i++) spawned.push(await pool.spawn(request(ENDLESS_LOOP, `loop ${i}`)));
    assertEquals(spawned.map((p) => p.pid), [1, 2, 3, 4]);
    await eventually(async () => (await states(pool)).join() === "running,running,queued,queued");
    await pool.kill(1);
    await eventually(async () => (await states(pool)).join() === "killed,running,running,queued");
    await pool.kill(4);
    assertEquals(await states(pool), ["killed", "running", "running", "killed"]);
    assertEquals(pool.workerCount, 2);
  } finally {
    pool.close();
  }
});

Deno.test("kill() marks an endless loop killed at once and wait() sees it killed", async () => {
  const pool = new WorkerPool(1);
  try {
    const { pid } = await pool.spawn(request(ENDLESS_LOOP));
    await eventually(async () => (await pool.list())[0].executed > 0);
    const waiting = pool.wait(pid);
    const asked = performance.now();
    const killed = await pool.kill(pid);
    const done = await waiting;
    // Generous, as the machine may be shared: the table answers without waiting for the worker. That the
    // guest really stops is the CPU probe test below.
    assert(performance.now() - asked < 2000, `kill took ${performance.now() - asked} ms`);
    assertEquals([killed.state, done.state], ["killed", "killed"]);
  } finally {
    pool.close();
  }
});

Deno.test("each process keeps its own output and a halted one reports its instruction count", async () => {
  const pool = new WorkerPool(2);
  try {
    const a = await pool.spawn(request(COUNT_TO_THREE, "a"));
    const b = await pool.spawn(request(buildProgram([["load", 5, 42], ["prti", 5], ["hlt"]]), "b"));
    const [doneA, doneB] = await Promise.all([pool.wait(a.pid), pool.wait(b.pid)]);
    assertEquals([doneA.state, doneB.state], ["halted", "halted"]);
    assertEquals(await pool.output(a.pid), "1\n2\n3\n");
    assertEquals(await pool.output(b.pid), "42\n");
    assertEquals(doneA.executed, 7);
    assert(doneA.startedAt !== undefined && doneA.endedAt !== undefined);
  } finally {
    pool.close();
  }
});

Deno.test("a faulting process is recorded as faulted with its message and the pool carries on", async () => {
  const pool = new WorkerPool(1);
  try {
    const bad = await pool.spawn(request(buildProgram([["load", 0, 1], ["div", 0, 1, 2], ["hlt"]])));
    const done = await pool.wait(bad.pid);
    assertEquals(done.state, "faulted");
    assertMatch(done.fault!, /^fault: division by zero at 0x0004 \(div \$0 \$1 \$2\)$/);
    const good = await pool.spawn(request(COUNT_TO_THREE));
    assertEquals((await pool.wait(good.pid)).state, "halted");
  } finally {
    pool.close();
  }
});

Deno.test("unknown PIDs are clear errors", async () => {
  const pool = new WorkerPool(1);
  try {
    await assertRejects(() => pool.kill(99), Error, "no process with PID 99");
    await assertRejects(() => pool.output(99), Error, "no process with PID 99");
    await assertRejects(() => pool.wait(99), Error, "no process with PID 99");
  } finally {
    pool.close();
  }
});

Deno.test("wait() stops waiting when its signal aborts, and the process runs on", async () => {
  const pool = new WorkerPool(1);
  try {
    const { pid } = await pool.spawn(request(ENDLESS_LOOP));
    const controller = new AbortController();
    const waiting = pool.wait(pid, controller.signal);
    controller.abort();
    await assertRejects(() => waiting, DOMException);
    await eventually(async () => (await pool.list())[0].state === "running");
  } finally {
    pool.close();
  }
});

Deno.test("the pool keeps its size after 100 kills and still runs programs", async () => {
  const pool = new WorkerPool(2);
  try {
    for (let i = 0; i < 100; i++) {
      const { pid } = await pool.spawn(request(ENDLESS_LOOP));
      if (i % 10 === 0) await eventually(async () => (await pool.list()).at(-1)!.state === "running");
      await pool.kill(pid);
    }
    assertEquals(pool.workerCount, 2);
    assert((await states(pool)).every((s) => s === "killed"));
    const { pid } = await pool.spawn(request(COUNT_TO_THREE));
    assertEquals((await pool.wait(pid)).state, "halted");
    assertEquals(await pool.output(pid), "1\n2\n3\n");
  } finally {
    pool.close();
  }
});

Deno.test("the pool starts its workers at the first spawn, not before", async () => {
  const pool = new WorkerPool(3);
  try {
    assertEquals(pool.workerCount, 0);
    const { pid } = await pool.spawn(request(COUNT_TO_THREE));
    assertEquals(pool.workerCount, 3);
    assertEquals((await pool.wait(pid)).state, "halted");
  } finally {
    pool.close();
  }
});

Deno.test("the table keeps a bounded number of finished processes and refuses a spawn past the queue limit", async () => {
  const pool = new WorkerPool(1, { maxQueued: 2, maxFinished: 2 });
  try {
    for (let i = 0; i < 4; i++) await pool.wait((await pool.spawn(request(COUNT_TO_THREE))).pid);
    assertEquals((await pool.list()).map((p) => p.pid), [3, 4]);
    await assertRejects(() => pool.output(1), Error, "no process with PID 1");
    await pool.spawn(request(ENDLESS_LOOP)); // runs
    await eventually(async () => (await pool.list()).some((p) => p.state === "running"));
    await pool.spawn(request(ENDLESS_LOOP)); // queued
    await pool.spawn(request(ENDLESS_LOOP)); // queued
    await assertRejects(() => pool.spawn(request(ENDLESS_LOOP)), Error, "too many processes waiting");
  } finally {
    pool.close();
  }
});

Deno.test("a killed endless loop stops using the CPU (terminate() alone leaves a busy worker spinning)", async () => {
  const probe = new URL("./_kill_probe.ts", import.meta.url).pathname;
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", probe],
    stdout: "piped",
    signal: AbortSignal.timeout(60_000), // generous: a shared machine; the probe itself runs about 1 s
  })
    .output();
  assertEquals(result.code, 0);
  const { runningMs, killedMs } = JSON.parse(new TextDecoder().decode(result.stdout));
  // Relative to the CPU the loop got before the kill, so a busy shared machine does not hide a spinner.
  assert(runningMs > 60, `the loop used only ${runningMs} ms of CPU in 600 ms before the kill`);
  assert(killedMs < runningMs / 4, `${killedMs} ms of CPU after the kill, ${runningMs} ms before`);
});
