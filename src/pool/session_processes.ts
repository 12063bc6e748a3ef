/**
 * The pool as one REPL session sees it (`ReplProcesses`): processes it spawns carry its name as owner and
 * its heap and stack limits; every session sees and may stop every process of the VM.
 */
import type { ReplProcesses } from "../repl/services.ts";
import { formatProcessList, type ProcessInfo } from "./process_table.ts";
import type { ProcessService } from "./worker_pool.ts";

/** Limits and owner name given to the processes a session spawns. */
export interface SessionProcessOptions {
  owner: string;
  heapLimit: number;
  stackLimit: number;
}

function describeEnd(info: ProcessInfo): string {
  const end = `process ${info.pid} ${info.state} after ${info.executed} instructions`;
  return info.state === "faulted" ? `${end} (${info.fault})` : end;
}

/** Adapts a ProcessService (the pool, or its proxy in the SSH worker) to what `!spawn` and friends need. */
export function sessionProcesses(pool: ProcessService, options: SessionProcessOptions): ReplProcesses {
  const { owner, heapLimit, stackLimit } = options;
  return {
    async spawn(program, name, endIsHalt = false) {
      return (await pool.spawn({ program, source: name, owner, heapLimit, stackLimit, endIsHalt })).pid;
    },
    async list() {
      return formatProcessList(await pool.list()).trimEnd().split("\n");
    },
    async kill(pid) {
      const before = (await pool.list()).find((p) => p.pid === pid)?.state;
      const info = await pool.kill(pid);
      return before === "queued" || before === "running"
        ? `killed process ${pid}`
        : `process ${pid} had already ended (${info.state})`;
    },
    output(pid) {
      return pool.output(pid);
    },
    async wait(pid, signal) {
      return describeEnd(await pool.wait(pid, signal));
    },
  };
}
