/**
 * Run as its own process by worker_pool_test.ts: kills an endless loop and prints how much CPU time the
 * whole process used in the 600 ms after the kill (a worker still spinning would use about 600 ms).
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
await pool.kill(pid);
await new Promise((resolve) => setTimeout(resolve, 300)); // the replacement worker loads
const before = process.cpuUsage();
await new Promise((resolve) => setTimeout(resolve, 600));
const used = process.cpuUsage(before);
console.log(JSON.stringify({ cpuMs: (used.user + used.system) / 1000 }));
pool.close();
