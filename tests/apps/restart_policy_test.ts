/**
 * The supervisor's decision when an application's process ends. Mutations checked: back-off not doubling
 * (the sequence test), restarts outside the window still counted (the window test), `>=` for "more than
 * 5" (the sixth-restart test fails one restart early), on-fault restarting after a halt.
 */
import { assertEquals } from "../assert.ts";
import { decideRestart, DEFAULT_TIMING } from "../../src/apps/restart_policy.ts";

Deno.test("the default back-off is 1 s doubling to 60 s, and more than 5 restarts in 60 s fail", () => {
  assertEquals(DEFAULT_TIMING, {
    initialBackoffMs: 1_000,
    maxBackoffMs: 60_000,
    windowMs: 60_000,
    maxRestarts: 5,
  });
  const times: number[] = [];
  const delays: (number | string)[] = [];
  for (let i = 0; i < 6; i++) {
    const decision = decideRestart("always", true, times, 10_000 + i, DEFAULT_TIMING);
    delays.push(decision.action === "restart" ? decision.delayMs : decision.action);
    times.push(10_000 + i);
  }
  assertEquals(delays, [1_000, 2_000, 4_000, 8_000, 16_000, "fail"]);
});

Deno.test("back-off stops at its maximum, and restarts older than the window no longer count", () => {
  const timing = { ...DEFAULT_TIMING, maxRestarts: 100 };
  const times = Array.from({ length: 10 }, (_, i) => 1_000 + i);
  assertEquals(decideRestart("always", true, times, 2_000, timing), { action: "restart", delayMs: 60_000 });
  assertEquals(decideRestart("always", true, times, 1_000 + 60_010, DEFAULT_TIMING), {
    action: "restart",
    delayMs: 1_000,
  });
});

Deno.test("never stops; on-fault restarts only after a fault; always restarts after a halt too", () => {
  assertEquals(decideRestart("never", true, [], 0, DEFAULT_TIMING), { action: "stop" });
  assertEquals(decideRestart("on-fault", false, [], 0, DEFAULT_TIMING), { action: "stop" });
  assertEquals(decideRestart("on-fault", true, [], 0, DEFAULT_TIMING).action, "restart");
  assertEquals(decideRestart("always", false, [], 0, DEFAULT_TIMING).action, "restart");
});
