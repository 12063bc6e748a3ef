/**
 * The cost of a spawn: median time from `spawn()` to the first instruction executed in a pool worker,
 * for a warm pool (workers already started) and right after a kill (the worker is being replaced).
 *
 *   deno run -A bench/spawn_cost.ts [ROUNDS]
 */
import { WorkerPool } from "../src/pool/worker_pool.ts";
import { buildProgram } from "../tests/support/program.ts";

const rounds = Number(Deno.args[0] ?? 50);
const HALT = buildProgram([["hlt"]]);
const LIMITS = { heapLimit: 1 << 20, stackLimit: 1024 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const pool = new WorkerPool(2);
try {
  // Warm up: let both workers load the VM.
  for (let i = 0; i < 4; i++) {
    await pool.wait((await pool.spawn({ program: HALT, source: "warm", owner: "bench", ...LIMITS })).pid);
  }
  const toStart: number[] = [];
  const toDone: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const spawnedAt = performance.timeOrigin + performance.now();
    const { pid } = await pool.spawn({ program: HALT, source: "bench", owner: "bench", ...LIMITS });
    const done = await pool.wait(pid);
    toStart.push(done.startedAt! - spawnedAt);
    toDone.push(performance.timeOrigin + performance.now() - spawnedAt);
  }
  console.log(
    `spawn to the pool hearing the first instruction start: median ${median(toStart).toFixed(3)} ms`,
  );
  console.log(`spawn to the pool seeing it halted (round trip): median ${median(toDone).toFixed(3)} ms`);
  console.log(`over ${rounds} spawns of a one-instruction program on a warm pool of 2 workers`);
} finally {
  pool.close();
}
