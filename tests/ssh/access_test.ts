/**
 * Access per key end to end, with the real OpenSSH client against a daemon running two applications
 * (billing, reports) and three keys: root (admin), bob (operator of billing), ann (viewer of billing).
 * Each allowed action works; each forbidden one prints one `permission denied` line and is audited; the
 * ways around the policy are closed: `!load_file` and typed lines for a viewer, `!deploy` and `!send` to an
 * application not given, `!send` to its PID, `whereis` + `send` from an operator's process, `!ps`;
 * `grant` applies to the next command of an open session.
 *
 * Mutations checked: the session not asking the policy (bob's `!app stop reports` stops it), the pool
 * delivering every process's `send` (reports logs 77), whereis unfiltered (bob's process finds reports),
 * the grant captured at login (ann's open session stays a viewer after `grant`).
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import {
  generateKey,
  makeTempDir,
  run,
  ServerProcess,
  SshChild,
  sshOptions,
  writeKnownHosts,
} from "./_harness.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";

/** Logs each message it receives. */
const ECHO = "top: recv $0 $1\nprti $0\ndjmp @top\n";
/** Prints the PID `whereis` gives for an application's name. */
const FIND = (app: string) => `.data\nname: .asciiz '${app}'\n.code\nwhereis $5 @name\nprti $5\nhlt\n`;
/** Sends 77 to a PID and says whether it was delivered. */
const SEND_TO = (pid: string) =>
  ".data\nyes: .asciiz 'delivered\\n'\nno: .asciiz 'not delivered\\n'\n.code\n" +
  `load $5 #${pid}\nload $0 #77\nsend $5 $0\ndjmpe @ok\nprts @no\nhlt\nok: prts @yes\nhlt\n`;

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

Deno.test("admin, operator and viewer keys: allowed actions work, forbidden ones are refused and audited", async () => {
  const dir = await makeTempDir();
  const root = join(dir, "data");
  let server: ServerProcess | undefined;
  let open: SshChild | undefined;
  try {
    await Deno.writeTextFile(join(dir, "echo.iasm"), ECHO);
    await Deno.writeTextFile(join(dir, "find_billing.iasm"), FIND("billing"));
    await Deno.writeTextFile(join(dir, "find_reports.iasm"), FIND("reports"));
    await Deno.writeTextFile(join(dir, "one.iasm"), "load $0 #41\ninc $0\nprti $0\nhlt\n");
    const cli = async (...args: string[]) => {
      const io = captureIo();
      const code = await runCli([...args, "--data-root-dir", root], io);
      return { code, stdout: io.out, stderr: io.err };
    };
    for (const app of ["billing", "reports"]) {
      assertEquals((await cli("app", "deploy", app, join(dir, "echo.iasm"), "--restart", "always")).code, 0);
    }
    const keys: Record<string, string> = {};
    for (const name of ["root", "bob", "ann"]) keys[name] = await generateKey(dir, name);
    assertEquals((await cli("add-ssh-key", `${keys.root}.pub`, "--name", "root")).code, 0);
    const bob = ["--name", "bob", "--role", "operator", "--apps", "billing"];
    assertEquals((await cli("add-ssh-key", `${keys.bob}.pub`, ...bob)).code, 0);
    const ann = ["--name", "ann", "--role", "viewer", "--apps", "billing"];
    assertEquals((await cli("add-ssh-key", `${keys.ann}.pub`, ...ann)).code, 0);

    server = await ServerProcess.start(root, ["--ssh-files-dir", dir, "--threads", "2"]);
    const knownHosts = join(dir, "known_hosts");
    await writeKnownHosts(knownHosts, root, [server.port]);
    const as = (who: string) => async (line: string) => {
      const result = await run("ssh", [
        ...sshOptions(knownHosts, keys[who], server!.port),
        "127.0.0.1",
        line,
      ]);
      return result.stdout + result.stderr;
    };
    const [asRoot, asBob, asAnn] = [as("root"), as("bob"), as("ann")];
    const both = (t: string) => /\nreports\s+waiting\s+\d+/.test(t) && /\nbilling\s+waiting\s+\d+/.test(t);
    const all = await until(() => asRoot("!apps"), both, "both applications waiting");
    const reportsPid = all.match(/\nreports\s+waiting\s+(\d+)/)![1];
    const billingPid = all.match(/\nbilling\s+waiting\s+(\d+)/)![1];
    await Deno.writeTextFile(join(dir, "send_reports.iasm"), SEND_TO(reportsPid));
    await Deno.writeTextFile(join(dir, "send_billing.iasm"), SEND_TO(billingPid));

    // The admin: everything, as the local terminal.
    assertMatch(await asRoot("!spawn one.iasm"), /^started process \d+\n$/);
    assertEquals(await asRoot("load $0 #7\nprti $0"), "7\n");

    // The operator of billing.
    const bobApps = await asBob("!apps");
    assertMatch(bobApps, /\nbilling\s+waiting/);
    assertEquals(bobApps.includes("reports"), false);
    assertEquals(await asBob("load $0 #5\nprti $0"), "5\n");
    assertEquals(await asBob("!load_file one.iasm"), "42\n");
    assertMatch(await asBob("!send billing 5"), /^sent 5 to process \d+\n$/);
    assertMatch(await asBob("!app restart billing"), /^restarted 'billing' \(process \d+\)\n$/);
    const denied = (text: string) => assertMatch(text, /^permission denied: [^\n]*\n$/);
    denied(await asBob("!app stop reports"));
    denied(await asBob("!app logs reports"));
    denied(await asBob("!deploy reports echo.iasm"));
    denied(await asBob("!send reports 1"));
    denied(await asBob(`!send ${reportsPid} 1`));
    denied(await asBob("!add_ssh_key root.pub"));
    assertStringIncludes(await asBob("!app stop reports"), "key 'bob' is operator of billing");
    // whereis + send from an operator's process.
    const find = async (file: string) => {
      const pid = (await asBob(`!spawn ${file}`)).match(/\d+/)![0];
      await asBob(`!wait ${pid}`);
      return await asBob(`!output ${pid}`);
    };
    assertEquals(await find("find_reports.iasm"), "0\n");
    assertMatch(await find("find_billing.iasm"), /^[1-9]\d*\n$/);
    assertEquals(await find("send_reports.iasm"), "not delivered\n");
    const bobPs = await asBob("!ps");
    assertEquals(bobPs.includes("root"), false, bobPs);
    assertStringIncludes(bobPs, "bob");
    assertEquals((await asRoot("!app logs reports")).includes("77"), false);
    // An application bob deploys runs with bob's rights: it cannot reach reports either.
    await Deno.writeTextFile(
      join(dir, "sneaky.iasm"),
      FIND("reports").replace("hlt\n", "") + SEND_TO(reportsPid),
    );
    assertEquals(await asBob("!deploy billing sneaky.iasm never"), "deployed 'billing' (restart never)\n");
    const sneaky = await until(
      () => asBob("!app logs billing"),
      (t) => t.includes("delivered"),
      "sneaky's log",
    );
    assertStringIncludes(sneaky, "\n0\nnot delivered\n");
    assertEquals((await asRoot("!app logs reports")).includes("77"), false);
    assertEquals(await asRoot(`!deploy billing echo.iasm always`), "deployed 'billing' (restart always)\n");

    // The viewer of billing: status and logs, no line of code.
    const annApps = await asAnn("!apps");
    assertMatch(annApps, /\nbilling\s+waiting/);
    assertEquals(annApps.includes("reports"), false);
    assertStringIncludes(await asAnn("!app logs billing"), "5\n");
    denied(await asAnn("load $0 #1"));
    denied(await asAnn("!load_file one.iasm"));
    denied(await asAnn("!spawn one.iasm"));
    denied(await asAnn("!app restart billing"));
    denied(await asAnn("!send billing 1"));
    denied(await asAnn("!ps"));
    denied(await asAnn("!app logs reports"));

    // A grant applies to the next command of an open session.
    open = new SshChild([...sshOptions(knownHosts, keys.ann, server.port), "127.0.0.1"]);
    await open.write("!app restart billing\n");
    const first = await open.waitFor("permission denied: !app restart billing");
    assertEquals((await cli("grant", "ann", "--role", "operator", "--apps", "billing")).code, 0);
    await open.write("!app restart billing\n");
    await open.waitFor("restarted 'billing'", first);
    await open.close();
    open = undefined;

    assertEquals((await server.stop()).code, 0);
    server = undefined;
    const audit = await Deno.readTextFile(join(root, "audit.log"));
    const lines = (event: string, key: string) =>
      audit.split("\n").filter((l) => l.includes(` ${event} `) && l.includes(`key=${key} `));
    assert(lines("denied", "bob").some((l) => l.includes('command="!app stop reports"')), audit);
    assert(lines("denied", "bob").some((l) => l.includes(`command="!send ${reportsPid} 1"`)), audit);
    assert(lines("denied", "ann").some((l) => l.includes("a line of code")), audit);
    assertEquals(lines("denied", "bob").length, 7, audit);
    assert(lines("change", "bob").some((l) => l.includes('command="!app restart billing"')), audit);
    assert(lines("change", "ann").some((l) => l.includes('command="!app restart billing"')), audit);
    assert(audit.includes("key-granted key=local name=ann"), audit);
    assert(audit.includes('change key=local command="app deploy billing '), audit);
  } finally {
    open?.kill();
    await server?.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
