/**
 * Messages between processes under the access policy, on a real pool: a process spawned with an
 * operator's rights reaches its owner's processes and its applications, and nothing else, even when the
 * worker's list of application PIDs does not name the target (the pool checks every message again).
 * Mutations checked: the pool delivering whatever the worker accepted (eve's process receives 7), and
 * whereis given every name (the operator's process finds 'reports').
 */
import { assertEquals } from "../assert.ts";
import { type SpawnRequest, WorkerPool } from "../../src/pool/worker_pool.ts";
import type { Program } from "../../src/bytecode/program.ts";
import { assembleText } from "../support/assemble.ts";
import type { Subject } from "../../src/access/policy.ts";

const LIMITS = { heapLimit: 1 << 20, stackLimit: 1024 };
const BOB: Subject = { name: "bob", grant: { role: "operator", apps: ["billing"] } };

function request(program: Program, owner: string, rights?: Subject): SpawnRequest {
  return { program, source: "test", owner, rights, ...LIMITS };
}

async function eventually(check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Waits up to 500 ms for one message; prints its value, or -1 when none came. */
const RECEIVER = assembleText(
  "load $2 #500\nrecvt $0 $1 $2\ndjmpe @got\nload $0 #0\ndec $0\ngot: prti $0\nhlt",
);

/** Sends 7 to PID `to` and prints 1 when it was delivered, else 0. */
function sender(to: number): Program {
  return assembleText(
    `load $5 #${to}\nload $0 #7\nload $3 #0\nsend $5 $0\ndjmpe @ok\nprti $3\nhlt\nok: inc $3\nprti $3\nhlt`,
  );
}

Deno.test("an operator's process reaches its own processes and its applications, not another key's", async () => {
  const pool = new WorkerPool(2);
  try {
    const own = await pool.spawn(request(RECEIVER, "bob", BOB));
    const app = await pool.spawn(request(RECEIVER, "app:billing"));
    const other = await pool.spawn(request(RECEIVER, "eve"));
    await eventually(async () => (await pool.list()).filter((p) => p.state === "waiting").length === 3);
    for (const target of [own, app, other]) {
      const { pid } = await pool.spawn(request(sender(target.pid), "bob", BOB));
      await pool.wait(pid, AbortSignal.timeout(15_000));
    }
    for (const target of [own, app, other]) await pool.wait(target.pid, AbortSignal.timeout(15_000));
    assertEquals(
      await Promise.all([own, app, other].map((t) => pool.output(t.pid))),
      ["7\n", "7\n", "-1\n"],
    );
  } finally {
    pool.close();
  }
});

Deno.test("whereis gives 0 for an application the owner was not given, and a send to its PID is refused", async () => {
  const pool = new WorkerPool(2);
  try {
    const reports = await pool.spawn(request(RECEIVER, "app:reports"));
    pool.setName("reports", reports.pid);
    await eventually(async () => (await pool.list())[0].state === "waiting");
    const find = assembleText(".data\nn: .asciiz 'reports'\n.code\nwhereis $0 @n\nprti $0\nhlt");
    const finder = await pool.spawn(request(find, "bob", BOB));
    await pool.wait(finder.pid, AbortSignal.timeout(15_000));
    assertEquals(await pool.output(finder.pid), "0\n");
    const send = await pool.spawn(request(sender(reports.pid), "bob", BOB));
    await pool.wait(send.pid, AbortSignal.timeout(15_000));
    assertEquals(await pool.output(send.pid), "0\n");
    const admin = await pool.spawn(request(find, "root"));
    await pool.wait(admin.pid, AbortSignal.timeout(15_000));
    assertEquals(await pool.output(admin.pid), `${reports.pid}\n`);
  } finally {
    pool.close();
  }
});
