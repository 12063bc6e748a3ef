/**
 * The scheduler inside each worker: processes hosted by one worker hand messages to each other without
 * the main thread (pool.relayedMessages counts the messages it routes), a waiting receiver moves to its
 * sender's worker, a local send is checked against the sender's rights, and turns keep one busy process
 * from starving the others of its worker.
 * Mutations checked: every send routed through the main thread (Scheduler.send reporting "send" for a
 * local target: the ping-pongs relay 2,000 messages); no move (#mayMove false: 2,000 relayed); the local
 * path without the access check (eve's process receives 7); a process that used its turn put back first in
 * the run queue (the echo next to an endless loop never answers).
 */
import { assert, assertEquals } from "../assert.ts";
import { type SpawnRequest, WorkerPool } from "../../src/pool/worker_pool.ts";
import type { Program } from "../../src/bytecode/program.ts";
import type { Subject } from "../../src/access/policy.ts";
import { assembleText } from "../support/assemble.ts";
import { ENDLESS_LOOP } from "../support/program.ts";

const LIMITS = { heapLimit: 1 << 20, stackLimit: 1024 };
const BOB: Subject = { name: "bob", grant: { role: "operator", apps: [] } };

function request(program: Program, owner = "test", rights?: Subject): SpawnRequest {
  return { program, source: "test", owner, rights, ...LIMITS };
}

async function eventually(check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Receives for ever; answers each message to its sender with value + 1. */
const SERVER = assembleText("top: recv $0 $1\ninc $0\nsend $1 $0\ndjmp @top");

/** 1,000 round trips with the server `pid`, then prints the last value. */
function client(pid: number): Program {
  return assembleText(
    `load $5 #${pid}\nload $0 #0\nload $6 #1000\nagain: send $5 $0\nrecv $0 $1\nlt $0 $6\ndjmpe @again\nprti $0\nhlt`,
  );
}

async function pingPong(pool: WorkerPool, server: number): Promise<void> {
  const { pid } = await pool.spawn(request(client(server)));
  const end = await pool.wait(pid, AbortSignal.timeout(15_000));
  assertEquals([end.state, await pool.output(pid)], ["halted", "1000\n"]);
}

Deno.test("a ping-pong between two processes of one worker does not go through the main thread", async () => {
  const pool = new WorkerPool(1);
  try {
    const server = await pool.spawn(request(SERVER));
    await pingPong(pool, server.pid);
    assertEquals(pool.relayedMessages, 0);
  } finally {
    pool.close();
  }
});

Deno.test("a receiver waiting on another worker moves to its sender's, and the rest of the ping-pong stays there", async () => {
  const pool = new WorkerPool(2);
  try {
    const server = await pool.spawn(request(SERVER));
    await eventually(async () => (await pool.list())[0].state === "waiting");
    // The loop takes the server's idle worker, so the client starts on the other one.
    const loop = await pool.spawn(request(ENDLESS_LOOP));
    await pingPong(pool, server.pid);
    // The first message goes through the main thread, which moves the server; none after it.
    assert(pool.relayedMessages <= 2, `${pool.relayedMessages} messages relayed`);
    await pool.kill(loop.pid);
  } finally {
    pool.close();
  }
});

Deno.test("a send between processes of one worker is checked against the sender's rights", async () => {
  const pool = new WorkerPool(1);
  try {
    const receiver = "load $2 #2000\nrecvt $0 $1 $2\ndjmpe @got\nload $0 #0\ndec $0\ngot: prti $0\nhlt";
    const own = await pool.spawn(request(assembleText(receiver), "bob", BOB));
    const other = await pool.spawn(request(assembleText(receiver), "eve"));
    for (const target of [own, other]) {
      const send =
        `load $5 #${target.pid}\nload $0 #7\nload $3 #0\nsend $5 $0\ndjmpe @ok\nprti $3\nhlt\nok: inc $3\nprti $3\nhlt`;
      const { pid } = await pool.spawn(request(assembleText(send), "bob", BOB));
      await pool.wait(pid, AbortSignal.timeout(15_000));
      assertEquals(await pool.output(pid), target === own ? "1\n" : "0\n");
    }
    for (const target of [own, other]) await pool.wait(target.pid, AbortSignal.timeout(15_000));
    assertEquals([await pool.output(own.pid), await pool.output(other.pid)], ["7\n", "-1\n"]);
    assertEquals(pool.relayedMessages, 0);
  } finally {
    pool.close();
  }
});

Deno.test("an endless loop shares its worker: a process next to it still answers, and a kill stops only it", async () => {
  const pool = new WorkerPool(1);
  try {
    const echo = await pool.spawn(request(assembleText("recv $0 $1\nprti $0\nhlt")));
    await eventually(async () => (await pool.list())[0].state === "waiting");
    const loop = await pool.spawn(request(ENDLESS_LOOP));
    await eventually(async () => (await pool.list())[1].executed > 0);
    assert(pool.deliver(0, echo.pid, 5));
    assertEquals((await pool.wait(echo.pid, AbortSignal.timeout(15_000))).state, "halted");
    assertEquals(await pool.output(echo.pid), "5\n");
    await pool.kill(loop.pid);
    const after = await pool.spawn(request(assembleText("load $0 #9\nprti $0\nhlt")));
    assertEquals((await pool.wait(after.pid, AbortSignal.timeout(15_000))).state, "halted");
  } finally {
    pool.close();
  }
});
