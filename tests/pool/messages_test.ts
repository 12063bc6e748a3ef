/**
 * Processes that talk (`self`, `send`, `recv`, `recvt`, `sleep`, `clock`, `whereis`) on a real pool.
 * Mutations these catch: `send` to a full mailbox reported delivered (the bound test); a recv that takes
 * the newest message (the order test); a worker with only waiting processes that takes no other work (its
 * idle report never sent: the hundreds of waiters on a pool of 2 never all start); a kill of a waiting
 * process ignored (it stays "waiting"); a recvt that forgets its deadline on resume (it would wait for
 * ever).
 */
import { assert, assertEquals } from "../assert.ts";
import { type SpawnRequest, WorkerPool } from "../../src/pool/worker_pool.ts";
import type { Program } from "../../src/bytecode/program.ts";
import { assembleText } from "../support/assemble.ts";

const LIMITS = { heapLimit: 1 << 20, stackLimit: 1024 };

function request(program: Program, source = "test"): SpawnRequest {
  return { program, source, owner: "test", ...LIMITS };
}

async function eventually(check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** `pool.wait(pid)`, failing after 15 s rather than hanging (generous: the machine is shared). */
async function finished(pool: WorkerPool, pid: number) {
  const signal = AbortSignal.timeout(15_000);
  return await pool.wait(pid, signal);
}

/** Receives one message and prints its value and its sender, then halts. */
const ECHO_ONCE = assembleText("recv $0 $1\nprti $0\nprti $1\nhlt");

/** Receives for ever; answers each message to its sender with value + 1. */
const SERVER = assembleText("top: recv $0 $1\ninc $0\nsend $1 $0\ndjmp @top");

Deno.test("recv waits without a worker, and a message from the host wakes it with sender 0", async () => {
  const pool = new WorkerPool(1);
  try {
    const { pid } = await pool.spawn(request(ECHO_ONCE));
    await eventually(async () => (await pool.list())[0].state === "waiting");
    assert(pool.deliver(0, pid, 42));
    const done = await finished(pool, pid);
    assertEquals(done.state, "halted");
    assertEquals(await pool.output(pid), "42\n0\n");
    assertEquals(pool.deliver(0, pid, 1), false, "a finished process receives nothing");
    assertEquals(pool.deliver(0, 999, 1), false, "nor does a PID that never existed");
  } finally {
    pool.close();
  }
});

Deno.test("messages arrive first in first out, and a full mailbox refuses the next", async () => {
  const pool = new WorkerPool(1, { mailboxLimit: 3 });
  try {
    const { pid } = await pool.spawn(
      request(
        assembleText(
          "sleep $0\nload $9 #200\nsleep $9\nrecv $0 $1\nprti $0\nrecv $0 $1\nprti $0\nrecv $0 $1\nprti $0\nhlt",
        ),
      ),
    );
    await eventually(async () => (await pool.list())[0].state === "waiting");
    assertEquals([1, 2, 3, 4].map((v) => pool.deliver(0, pid, v)), [true, true, true, false]);
    await finished(pool, pid);
    assertEquals(await pool.output(pid), "1\n2\n3\n");
  } finally {
    pool.close();
  }
});

Deno.test("two processes on a pool of 2 play ping-pong through send, recv and self", async () => {
  const pool = new WorkerPool(2);
  try {
    const server = await pool.spawn(request(SERVER, "server"));
    // The client sends 0 to the server, gets 1 back, sends 1..., 100 round trips, then prints the last.
    const client = assembleText(
      `load $5 #${server.pid}\nload $0 #0\nload $6 #100\nagain: send $5 $0\nrecv $0 $1\nlt $0 $6\ndjmpe @again\nprti $0\nprti $1\nself $2\nprti $2\nhlt`,
    );
    const { pid } = await pool.spawn(request(client, "client"));
    await finished(pool, pid);
    assertEquals(await pool.output(pid), `100\n${server.pid}\n${pid}\n`);
  } finally {
    pool.close();
  }
});

Deno.test("300 processes wait in recv on a pool of 2, and each answers its message", async () => {
  const pool = new WorkerPool(2);
  try {
    const pids: number[] = [];
    for (let i = 0; i < 300; i++) pids.push((await pool.spawn(request(ECHO_ONCE))).pid);
    await eventually(async () => (await pool.list()).every((p) => p.state === "waiting"));
    for (const pid of pids) assert(pool.deliver(0, pid, pid * 2));
    await eventually(async () => (await pool.list()).every((p) => p.state === "halted"));
    for (const pid of pids) assertEquals(await pool.output(pid), `${pid * 2}\n0\n`);
  } finally {
    pool.close();
  }
});

Deno.test("kill() ends a process waiting in recv at once", async () => {
  const pool = new WorkerPool(1);
  try {
    const { pid } = await pool.spawn(request(ECHO_ONCE));
    await eventually(async () => (await pool.list())[0].state === "waiting");
    await pool.kill(pid);
    assertEquals((await pool.list())[0].state, "killed");
    assertEquals(pool.deliver(0, pid, 1), false);
  } finally {
    pool.close();
  }
});

Deno.test("recvt gives up after its time with equal_flag cleared; sleep and clock measure time", async () => {
  const pool = new WorkerPool(1);
  try {
    const program = assembleText(
      "load $3 #50\nrecvt $0 $1 $3\nload $7 #1\ndjmpe @got\nload $7 #0\ngot: prti $7\nload $4 #100\nsleep $4\nclock $5\nload $6 #150\ngte $5 $6\nload $7 #1\ndjmpe @late\nload $7 #0\nlate: prti $7\nhlt",
    );
    const { pid } = await pool.spawn(request(program));
    const done = await finished(pool, pid);
    assertEquals(done.state, "halted", done.fault);
    assertEquals(await pool.output(pid), "0\n1\n");
  } finally {
    pool.close();
  }
});

Deno.test("whereis finds a named process; send to 0 or a negative PID is not delivered", async () => {
  const pool = new WorkerPool(1);
  try {
    pool.setName("echo", 77);
    const program = assembleText(
      ".data\nname: .asciiz 'echo'\nnone: .asciiz 'nope'\n.code\nwhereis $0 @name\nprti $0\nwhereis $0 @none\nprti $0\nload $1 #0\nsend $1 $1\nload $2 #1\ndjmpe @bad\nload $2 #0\nbad: prti $2\nhlt",
    );
    const { pid } = await pool.spawn(request(program));
    await finished(pool, pid);
    assertEquals(await pool.output(pid), "77\n0\n0\n");
  } finally {
    pool.close();
  }
});

Deno.test("processes resumed on either worker go on from their own latest state", async () => {
  // Each counts the messages it received; 20 of them on 2 workers move between the workers from round to
  // round, so a worker that resumed a process from a machine it kept from an older wait would repeat counts.
  const pool = new WorkerPool(2);
  try {
    const counter = assembleText("top: recv $0 $1\ninc $5\nprti $5\ndjmp @top");
    const pids: number[] = [];
    for (let i = 0; i < 20; i++) pids.push((await pool.spawn(request(counter))).pid);
    for (let round = 0; round < 15; round++) {
      await eventually(async () => (await pool.list()).every((p) => p.state === "waiting"));
      for (const pid of round % 2 ? pids : pids.toReversed()) assert(pool.deliver(0, pid, round));
    }
    const expected = Array.from({ length: 15 }, (_, i) => `${i + 1}\n`).join("");
    await eventually(async () =>
      (await Promise.all(pids.map((pid) => pool.output(pid)))).every((o) => o === expected)
    );
  } finally {
    pool.close();
  }
});
