/**
 * Run as its own process by worker_pool_test.ts: prints how much CPU time the whole process uses in 600 ms
 * while an endless loop runs, and in 600 ms after it is killed (a worker still spinning uses as much as
 * before). It exits by itself, as a spinning worker would keep the process alive.
 */
import process from "node:process";
import { WorkerPool } from "../../src/pool/worker_pool.ts";
import { ENDLESS_LOOP } from "../support/program.ts";

const pool = new WorkerPool(1);
const { pid } = await pool.spawn({
  program: ENDLESS_LOOP,
  source: "loop",
  owner: "probe",
  heapLimit: 64,
  stackLimit: 8,
});
while ((await pool.list())[0].executed === 0) await new Promise((resolve) => setTimeout(resolve, 10));
/** CPU milliseconds the process uses in the next 600 ms. */
async function cpuOver600Ms(): Promise<number> {
  const before = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, 600));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}
const runningMs = await cpuOver600Ms();
await pool.kill(pid);
await new Promise((resolve) => setTimeout(resolve, 300)); // the replacement worker loads
const killedMs = await cpuOver600Ms();
console.log(JSON.stringify({ runningMs, killedMs }));
pool.close();
Deno.exit(0);
