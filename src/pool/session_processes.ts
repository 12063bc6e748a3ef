/**
 * The pool as one REPL session sees it (`ReplProcesses`): processes it spawns carry its owner's name (the
 * local terminal's "local", or an SSH key's name) and its heap and stack limits. Every session lists every
 * process of the VM; an owner other than the local terminal stops, reads and waits for its own only, and
 * may have at most its quota running or queued. Processes outlive the session that spawned them.
 */
import { ADMIN, type Grant } from "../access/grant.ts";
import { checkAccess, type Subject } from "../access/policy.ts";
import type { AppRequest } from "../repl/app_request.ts";
import type { ReplProcesses } from "../repl/services.ts";
import { formatProcessList, type ProcessInfo } from "./process_table.ts";
import type { ProcessService } from "./worker_pool.ts";

/** Limits, owner name and rights given to a session. */
export interface SessionProcessOptions {
  owner: string;
  heapLimit: number;
  stackLimit: number;
  /** Running + queued processes the owner may have at once (`--ssh-max-processes`); none: no limit. */
  quota?: number;
  /** True for the local terminal: it may stop, read and wait for every process, not only its own. */
  actsForAll?: boolean;
  /** The owner's grant as it is now (looked up per call); absent: an admin. */
  grant?: () => Promise<Grant>;
}

function describeEnd(info: ProcessInfo): string {
  const end = `process ${info.pid} ${info.state} after ${info.executed} instructions`;
  return info.state === "faulted" ? `${end} (${info.fault})` : end;
}

/** Adapts a ProcessService (the pool, or its proxy in the SSH worker) to what `!spawn` and friends need. */
export function sessionProcesses(pool: ProcessService, options: SessionProcessOptions): ReplProcesses {
  const { owner, heapLimit, stackLimit, quota } = options;
  const subject = async (): Promise<Subject> => ({ name: owner, grant: (await options.grant?.()) ?? ADMIN });
  /** Rejects unless this session may act on `pid`; resolves to the process's state. */
  const own = async (pid: number): Promise<ProcessInfo | undefined> => {
    const info = (await pool.list()).find((p) => p.pid === pid);
    if (info && !options.actsForAll && info.owner !== owner) {
      throw new Error(`permission denied: process ${pid} belongs to '${info.owner}'`);
    }
    return info;
  };
  return {
    async spawn(program, name, endIsHalt = false) {
      const info = await pool.spawn({
        program,
        source: name,
        owner,
        heapLimit,
        stackLimit,
        endIsHalt,
        quota,
        rights: await subject(),
      });
      return { pid: info.pid, queued: info.queued };
    },
    async list() {
      // An operator lists its own processes only; an admin key lists every process of the VM.
      const { grant } = await subject();
      const all = await pool.list();
      return formatProcessList(grant.role === "admin" ? all : all.filter((p) => p.owner === owner))
        .trimEnd().split("\n");
    },
    async kill(pid) {
      const before = (await own(pid))?.state;
      const info = await pool.kill(pid);
      return before === "queued" || before === "running" || before === "waiting"
        ? `killed process ${pid}`
        : `process ${pid} had already ended (${info.state})`;
    },
    async output(pid) {
      await own(pid);
      return pool.output(pid);
    },
    async wait(pid, signal) {
      await own(pid);
      return describeEnd(await pool.wait(pid, signal));
    },
    async send(target, value) {
      if (/^[0-9]+$/.test(target)) {
        const info = (await pool.list()).find((p) => p.pid === Number(target));
        const text = `!send ${target} ${value}`;
        if (info) checkAccess(await subject(), { command: "send", processOwner: info.owner, text });
      }
      return pool.send(target, value);
    },
    apps: async (request) =>
      pool.apps({ ...request, actor: owner, grant: (await subject()).grant } as AppRequest),
  };
}
