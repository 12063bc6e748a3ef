/**
 * The per-source audit line budget and the cut of long values.
 *
 * Mutations checked: allow() always true fails the first test; a summary without the dropped count, or
 * sources sharing one count, fail it too; formatAuditEvent without the cut fails the second.
 */
import { assertEquals } from "../assert.ts";
import { LOG_LINES_PER_WINDOW, LogBudget } from "../../src/ssh/log_budget.ts";
import { formatAuditEvent, MAX_FIELD_LENGTH } from "../../src/ssh/audit_log.ts";

Deno.test("LogBudget lets each source write its lines, then sums up the rest once per window", async () => {
  const summaries: string[] = [];
  const budget = new LogBudget((source, dropped) => summaries.push(`${source} ${dropped}`), 50);
  const allowed = (source: string, n: number) =>
    Array.from({ length: n }, () => budget.allow(source)).filter(Boolean).length;
  assertEquals(allowed("10.0.0.1", LOG_LINES_PER_WINDOW + 30), LOG_LINES_PER_WINDOW);
  assertEquals(allowed("10.0.0.2", 3), 3);
  await new Promise((resolve) => setTimeout(resolve, 120));
  assertEquals(summaries, ["10.0.0.1 30"]);
  assertEquals(allowed("10.0.0.1", 1), 1); // a new window
  budget.flush();
  assertEquals(summaries, ["10.0.0.1 30"]);
});

Deno.test("formatAuditEvent cuts a long value and says how much it left out", () => {
  const line = formatAuditEvent("refused", { user: "u".repeat(32 * 1024), from: "127.0.0.1:5" });
  assertEquals(
    line,
    `refused user="${"u".repeat(MAX_FIELD_LENGTH)}…(+${32 * 1024 - MAX_FIELD_LENGTH})" from=127.0.0.1:5`,
  );
});
