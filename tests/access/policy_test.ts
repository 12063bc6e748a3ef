/**
 * The access policy, for every command of the REPL's command table (and every ACTION of `!app`) and every
 * role: the expected rule of each is written here, and a command missing from this table or from the
 * policy's fails the first test, so a new command cannot be left undecided.
 * Mutations checked: a viewer allowed `!app restart`, an operator allowed an application it was not
 * given, `own` ignoring the owner, and an unknown command allowed by default.
 */
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { ADMIN, type Grant } from "../../src/access/grant.ts";
import {
  type AccessRequest,
  appOwner,
  decideAccess,
  LINE,
  type Rule,
  RULES,
} from "../../src/access/policy.ts";
import { REPL_COMMANDS } from "../../src/repl/commands.ts";
import { APP_ACTIONS } from "../../src/repl/app_commands.ts";
import { commandRequest } from "../../src/repl/access_check.ts";

/** What each role may do, as this project promises it. */
const EXPECTED: Record<string, { operator: Rule; viewer: Rule }> = {
  quit: { operator: "yes", viewer: "yes" },
  help: { operator: "yes", viewer: "yes" },
  history: { operator: "yes", viewer: "yes" },
  [LINE]: { operator: "yes", viewer: "no" },
  program: { operator: "yes", viewer: "no" },
  clear_program: { operator: "yes", viewer: "no" },
  registers: { operator: "yes", viewer: "no" },
  clear_registers: { operator: "yes", viewer: "no" },
  symbols: { operator: "yes", viewer: "no" },
  load_file: { operator: "yes", viewer: "no" },
  spawn: { operator: "yes", viewer: "no" },
  ps: { operator: "list", viewer: "no" },
  kill: { operator: "own", viewer: "no" },
  output: { operator: "own", viewer: "no" },
  wait: { operator: "own", viewer: "no" },
  add_ssh_key: { operator: "no", viewer: "no" },
  send: { operator: "app", viewer: "no" },
  apps: { operator: "list", viewer: "list" },
  "app start": { operator: "app", viewer: "no" },
  "app stop": { operator: "app", viewer: "no" },
  "app restart": { operator: "app", viewer: "no" },
  "app logs": { operator: "app", viewer: "app" },
  "app remove": { operator: "no", viewer: "no" },
  deploy: { operator: "app", viewer: "no" },
};

/** Every key the policy must decide: each command of the table, `!app` by ACTION, a typed line, app remove. */
function commandKeys(): string[] {
  const keys = REPL_COMMANDS.flatMap((c) => c.name === "app" ? APP_ACTIONS.map((a) => `app ${a}`) : [c.name]);
  return [...keys, LINE, "app remove"];
}

function requestOf(key: string, target: { app?: string; processOwner?: string }): AccessRequest {
  const [command, action] = key.split(" ");
  return { command, action, ...target };
}

const OPERATOR: Grant = { role: "operator", apps: ["billing"] };
const VIEWER: Grant = { role: "viewer", apps: ["billing"] };

Deno.test("every command of the REPL's table has a rule for each role, as expected", () => {
  for (const key of commandKeys()) {
    assert(key in EXPECTED, `the test has no expectation for '${key}'`);
    assertEquals(RULES[key], EXPECTED[key], `rule of '${key}'`);
  }
  assertEquals(Object.keys(RULES).sort(), commandKeys().sort());
});

Deno.test("decideAccess() follows each rule for every command and role", () => {
  for (const key of commandKeys()) {
    for (const [role, grant] of [["operator", OPERATOR], ["viewer", VIEWER]] as const) {
      const who = { name: "bob", grant };
      const allowed = (target: { app?: string; processOwner?: string }) =>
        decideAccess(who, requestOf(key, target)).allowed;
      const rule = EXPECTED[key][role];
      const label = `${role} ${key}`;
      assertEquals(decideAccess({ name: "root", grant: ADMIN }, requestOf(key, {})).allowed, true, label);
      switch (rule) {
        case "yes":
        case "list":
          assertEquals(allowed({}), true, label);
          break;
        case "no":
          assertEquals([allowed({}), allowed({ app: "billing" }), allowed({ processOwner: "bob" })], [
            false,
            false,
            false,
          ], label);
          break;
        case "own":
          assertEquals(
            [allowed({ processOwner: "bob" }), allowed({ processOwner: "eve" })],
            [true, false],
            label,
          );
          break;
        case "app":
          assertEquals(
            [
              allowed({ app: "billing" }),
              allowed({ app: "reports" }),
              allowed({}),
              allowed({ processOwner: appOwner("billing") }),
              allowed({ processOwner: appOwner("reports") }),
              allowed({ processOwner: "eve" }),
            ],
            [true, false, false, true, false, false],
            label,
          );
          break;
      }
    }
  }
});

Deno.test("a refusal is one line that says what the role allows", () => {
  const decision = decideAccess(
    { name: "bob", grant: OPERATOR },
    commandRequest("deploy", ["reports", "r.iasm"]),
  );
  assert(!decision.allowed);
  assertEquals(decision.reason.includes("\n"), false);
  assertStringIncludes(
    decision.reason,
    "permission denied: !deploy reports r.iasm: key 'bob' is operator of billing;",
  );
  assertStringIncludes(
    decision.reason,
    "for its applications: status, logs, start, stop, restart, send, deploy",
  );
  const viewer = decideAccess({ name: "ann", grant: VIEWER }, { command: LINE, text: "'load $0 #1'" });
  assert(!viewer.allowed);
  assertStringIncludes(viewer.reason, "a viewer reads the status and logs of its applications, nothing else");
});

Deno.test("a command the policy does not know is refused to all but an admin", () => {
  assertEquals(decideAccess({ name: "bob", grant: OPERATOR }, { command: "format_disk" }).allowed, false);
  assertEquals(
    decideAccess({ name: "ann", grant: VIEWER }, { command: "app", action: "purge" }).allowed,
    false,
  );
  assertEquals(decideAccess({ name: "root", grant: ADMIN }, { command: "format_disk" }).allowed, true);
});
