/**
 * What the supervisor does when an application's process ends, as a pure function: restart
 * after a back-off (1 s doubling to 60 s by default), stop, or give up (`failed`) when it has restarted
 * more than `maxRestarts` times within `windowMs`.
 */
import type { RestartPolicy } from "./app_store.ts";

/** Back-off and give-up settings; DEFAULT_TIMING holds the documented defaults, tests pass shorter ones. */
export interface SupervisorTiming {
  /** First back-off, doubled after each restart within the window. */
  initialBackoffMs: number;
  /** Longest back-off. */
  maxBackoffMs: number;
  /** Restarts counted within this many milliseconds. */
  windowMs: number;
  /** More restarts than this within the window: failed. */
  maxRestarts: number;
}

/** 1 s doubling to 60 s; more than 5 restarts in 60 s fail. */
export const DEFAULT_TIMING: SupervisorTiming = {
  initialBackoffMs: 1_000,
  maxBackoffMs: 60_000,
  windowMs: 60_000,
  maxRestarts: 5,
};

/** The supervisor's decision. */
export type Decision = { action: "restart"; delayMs: number } | { action: "stop" } | { action: "fail" };

/**
 * The decision for a process of policy `policy` that ended `faulted` (or not), given the times of its
 * earlier restarts (epoch ms) and `now`.
 */
export function decideRestart(
  policy: RestartPolicy,
  faulted: boolean,
  restartTimes: readonly number[],
  now: number,
  timing: SupervisorTiming,
): Decision {
  if (policy === "never" || (policy === "on-fault" && !faulted)) return { action: "stop" };
  const recent = restartTimes.filter((t) => now - t < timing.windowMs).length;
  if (recent + 1 > timing.maxRestarts) return { action: "fail" };
  const delayMs = Math.min(timing.maxBackoffMs, timing.initialBackoffMs * 2 ** recent);
  return { action: "restart", delayMs };
}
