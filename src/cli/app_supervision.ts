/**
 * The applications of the data root, run on the VM's pool whenever the VM runs with one (the REPL,
 * `--enable-ssh`, `--daemon`), with the back-off timings given on the command line.
 */
import { join } from "node:path";
import { createFileOnce } from "../util/atomic_file.ts";
import { handleAppRequest } from "../apps/app_requests.ts";
import { AppStore } from "../apps/app_store.ts";
import { DEFAULT_TIMING } from "../apps/restart_policy.ts";
import { Supervisor } from "../apps/supervisor.ts";
import type { WorkerPool } from "../pool/worker_pool.ts";
import { resolveDataRoot } from "../util/data_dir.ts";
import type { ParsedCommandLine } from "./parse.ts";
import { limitsOf } from "./run_file.ts";

/** What runRepl closes at the end: the supervisor, and the lock that made it the only one. */
export interface Applications {
  close(): Promise<void>;
}

/**
 * Starts the supervisor of `args`' data root on `pool` and answers the pool's application requests; when
 * another VM on this machine runs the data root's applications already (its lock file names a live
 * process), this one leaves them to it and says so to whoever asks.
 */
export async function startApplications(args: ParsedCommandLine, pool: WorkerPool): Promise<Applications> {
  const root = resolveDataRoot(args.options["data-root-dir"] as string | undefined);
  const lock = await takeAppLock(root);
  if (typeof lock === "number") {
    pool.appRequests = () =>
      Promise.reject(new Error(`the applications of this data root run in another VM (process ${lock})`));
    return { close: () => Promise.resolve() };
  }
  const store = new AppStore(root);
  const supervisor = new Supervisor({
    store,
    pool,
    ...limitsOf(args),
    timing: {
      ...DEFAULT_TIMING,
      initialBackoffMs: args.options["app-backoff"] as number,
      maxBackoffMs: args.options["app-backoff-max"] as number,
    },
  });
  pool.appRequests = (request) => handleAppRequest(supervisor, request);
  await supervisor.start();
  return {
    async close() {
      supervisor.close();
      await lock.release();
    },
  };
}

/** `apps.lock` in the data root: the PID of the VM running its applications. */
async function takeAppLock(root: string): Promise<{ release(): Promise<void> } | number> {
  const path = join(root, "apps.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createFileOnce(path, `${Deno.pid}\n`)) {
      return { release: () => Deno.remove(path).catch(() => {}) };
    }
    const holder = Number((await Deno.readTextFile(path).catch(() => "")).trim());
    if (holder > 0 && holder !== Deno.pid && isAlive(holder)) return holder;
    await Deno.remove(path).catch(() => {}); // left by a VM that is gone
  }
  return { release: () => Promise.resolve() };
}

/** True when a process with this PID runs on this machine (Linux: /proc; elsewhere assumed alive). */
function isAlive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound) || Deno.build.os !== "linux";
  }
}
