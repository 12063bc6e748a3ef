/**
 * A session puts every typed line and `!` command to the access policy with the grant its host gives at
 * that moment, prints one `permission denied` line for a refusal and audits it, and audits a change.
 * Mutations checked: the grant read once at the first line (the operator's line is still refused), a
 * refusal not audited, and `!send NAME` described without its application (an operator's own app refused).
 */
import { assertEquals } from "../assert.ts";
import { ReplSession } from "../../src/repl/session.ts";
import type { Grant } from "../../src/access/grant.ts";
import { commandRequest } from "../../src/repl/access_check.ts";

Deno.test("a session asks the policy per line, with the grant as it is now, and audits refusals", async () => {
  let grant: Grant = { role: "viewer", apps: ["billing"] };
  let out = "";
  const audited: string[] = [];
  const session = new ReplSession({
    write: (text) => out += text,
    heapLimit: 1 << 16,
    stackLimit: 64,
    services: {
      subject: () => Promise.resolve({ name: "ann", grant }),
      audit: (event, fields) => audited.push(`${event} ${fields.command}`),
    },
  });
  await session.handleLine("load $0 #7");
  await session.handleLine("!history");
  assertEquals(
    out,
    "permission denied: 'load $0 #7' (a line of code): key 'ann' is viewer of billing; " +
      "a viewer reads the status and logs of its applications, nothing else\n" +
      "1  load $0 #7\n2  !history\n",
  );
  assertEquals(audited, ["denied 'load $0 #7' (a line of code)"]);
  assertEquals(session.anyLineFailed, true, "a refusal is a failed line (exit status 1 when piped)");
  grant = { role: "operator", apps: ["billing"] };
  out = "";
  await session.handleLine("load $0 #7");
  await session.handleLine("prti $0");
  assertEquals(out, "7\n");
  assertEquals(audited.length, 1);
});

Deno.test("commandRequest() names the application a command targets", () => {
  assertEquals(commandRequest("app", ["logs", "billing"]), {
    command: "app",
    action: "logs",
    app: "billing",
    text: "!app logs billing",
  });
  assertEquals(commandRequest("deploy", ["billing", "x.iasm"]).app, "billing");
  assertEquals(commandRequest("send", ["billing", "1"]).app, "billing");
  assertEquals(commandRequest("send", ["12", "1"]).app, undefined);
  assertEquals(commandRequest("ps", []), { command: "ps", text: "!ps" });
});
