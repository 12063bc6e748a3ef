/**
 * What the local REPL says when it ends with processes unfinished: they stop with it (the thread pool is
 * part of this program), so the user is told how many, rather than see them vanish.
 */
import type { ProcessService } from "../pool/worker_pool.ts";
import { isFinished } from "../pool/process_table.ts";

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "es"}`;
}

/** `2 processes still running and 1 queued: stopped`, or undefined when every process has finished. */
export async function unfinishedProcessesNotice(pool: ProcessService): Promise<string | undefined> {
  const unfinished = (await pool.list()).filter((p) => !isFinished(p.state));
  if (unfinished.length === 0) return undefined;
  const queued = unfinished.filter((p) => p.state === "queued").length;
  const running = unfinished.length - queued;
  const parts = [
    ...(running > 0 ? [`${count(running, "process")} still running`] : []),
    ...(queued > 0 ? [running > 0 ? `${queued} queued` : `${count(queued, "process")} queued`] : []),
  ];
  return `${parts.join(" and ")}: stopped`;
}
