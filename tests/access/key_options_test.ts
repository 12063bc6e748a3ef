/**
 * The key options of authorized_keys: OpenSSH's syntax (quotes, commas inside quotes, `\"`), unknown
 * options failing closed, and the round trip through add-ssh-key and grant.
 * Mutations checked: accepting an unknown option (the no-pty line then authorizes), splitting options at
 * a comma inside quotes, dropping the `\"` unescape, and grant leaving the old options in place.
 */
import { join } from "node:path";
import { assertEquals, assertThrows } from "../assert.ts";
import {
  formatKeyOptions,
  KeyOptionsError,
  parseKeyOptions,
  parseOptionList,
  splitKeyLine,
} from "../../src/access/key_options.ts";
import { ACCEPTED_KEY_TYPES } from "../../src/ssh/public_key.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { listAuthorizedKeys, parseAuthorizedKeys, type SkippedLine } from "../../src/ssh/key_store.ts";
import { generateKey } from "../ssh/_harness.ts";
import { withTempDir } from "../support/temp_dir.ts";

Deno.test("splitKeyLine() ends the options at the first space outside quotes", () => {
  const line = 'iridium-role="operator",iridium-apps="a b,c" ssh-ed25519 AAAA bob';
  assertEquals(splitKeyLine(line, ACCEPTED_KEY_TYPES), {
    options: 'iridium-role="operator",iridium-apps="a b,c"',
    key: "ssh-ed25519 AAAA bob",
  });
  assertEquals(splitKeyLine("ssh-ed25519 AAAA bob", ACCEPTED_KEY_TYPES).options, "");
  assertEquals(splitKeyLine("ssh-dss AAAA old", ACCEPTED_KEY_TYPES), {
    options: "",
    key: "ssh-dss AAAA old",
  });
  assertEquals(splitKeyLine('x="a\\" b" ssh-rsa AAAA', ACCEPTED_KEY_TYPES).options, 'x="a\\" b"');
  assertThrows(
    () => splitKeyLine('x="open ssh-rsa AAAA', ACCEPTED_KEY_TYPES),
    KeyOptionsError,
    "unterminated",
  );
});

Deno.test("parseOptionList() reads flags, quoted values with commas and escaped quotes", () => {
  const options = parseOptionList('no-pty,Command="echo \\"a,b\\"",iridium-apps="x,y"');
  assertEquals([...options], [["no-pty", undefined], ["command", 'echo "a,b"'], ["iridium-apps", "x,y"]]);
  assertThrows(() => parseOptionList('a="x'), KeyOptionsError, "unterminated");
  assertThrows(() => parseOptionList("a=x"), KeyOptionsError, `expected '"'`);
  assertThrows(() => parseOptionList('a="x"b'), KeyOptionsError, "expected ','");
  assertThrows(() => parseOptionList("a,"), KeyOptionsError, "end with ','");
  assertThrows(() => parseOptionList("a,A"), KeyOptionsError, "given twice");
});

Deno.test("parseKeyOptions() gives admin without options and fails closed on anything unknown", () => {
  assertEquals(parseKeyOptions(""), { role: "admin", apps: [] });
  assertEquals(parseKeyOptions('iridium-role="operator",iridium-apps="billing,reports"'), {
    role: "operator",
    apps: ["billing", "reports"],
  });
  assertEquals(parseKeyOptions('IRIDIUM-ROLE="viewer"'), { role: "viewer", apps: [] });
  assertThrows(
    () => parseKeyOptions('no-pty,iridium-role="viewer"'),
    KeyOptionsError,
    "unknown option 'no-pty'",
  );
  assertThrows(() => parseKeyOptions('iridium-role="root"'), KeyOptionsError, "invalid role 'root'");
  assertThrows(() => parseKeyOptions('iridium-apps="billing"'), KeyOptionsError, "iridium-role");
  assertThrows(() => parseKeyOptions('iridium-role="viewer",iridium-apps="Bad!"'), KeyOptionsError, "'Bad!'");
  assertThrows(() => parseKeyOptions('iridium-role="admin",iridium-apps="a"'), KeyOptionsError, "every app");
});

Deno.test("formatKeyOptions() and parseKeyOptions() round-trip every role", () => {
  for (
    const grant of [{ role: "admin", apps: [] }, { role: "viewer", apps: ["a"] }, {
      role: "operator",
      apps: ["a", "b-2"],
    }] as const
  ) {
    assertEquals(parseKeyOptions(formatKeyOptions(grant)), grant);
  }
  assertEquals(formatKeyOptions({ role: "admin", apps: [] }), "");
});

Deno.test("an authorized_keys line with an unknown option authorizes nothing and is named", async () => {
  await withTempDir(async (dir) => {
    const key = (await Deno.readTextFile(`${await generateKey(dir, "carl")}.pub`)).trim();
    const skipped: SkippedLine[] = [];
    const text = `# comment\nno-pty ${key}\niridium-role="viewer" ${key}\n`;
    const keys = parseAuthorizedKeys(text, (line) => skipped.push(line));
    assertEquals(keys.map((k) => k.grant), [{ role: "viewer", apps: [] }]);
    assertEquals(skipped, [{ line: 2, reason: "unknown option 'no-pty'" }]);
    const io = captureIo();
    const root = join(dir, "data");
    await Deno.mkdir(root);
    await Deno.writeTextFile(join(root, "authorized_keys"), text);
    assertEquals(await runCli(["list-ssh-keys", "--data-root-dir", root], io), 0);
    assertEquals(
      io.err,
      `warning: ${join(root, "authorized_keys")}:2: line skipped: unknown option 'no-pty'\n`,
    );
  });
});

Deno.test("add-ssh-key --role --apps and grant round-trip through authorized_keys", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "data");
    const bob = await generateKey(dir, "bob");
    const io = captureIo();
    const add = ["add-ssh-key", `${bob}.pub`, "--name", "bob", "--role", "operator", "--apps", "billing"];
    assertEquals(await runCli([...add, "--data-root-dir", root], io), 0);
    assertEquals((await listAuthorizedKeys(root))[0].grant, { role: "operator", apps: ["billing"] });
    assertEquals(
      await runCli(
        ["grant", "bob", "--role", "viewer", "--apps", "billing,reports", "--data-root-dir", root],
        io,
      ),
      0,
    );
    const text = await Deno.readTextFile(join(root, "authorized_keys"));
    assertEquals(text.split("\n")[0].split(" ")[0], 'iridium-role="viewer",iridium-apps="billing,reports"');
    assertEquals(text.trimEnd().split("\n").length, 1);
    assertEquals((await Deno.stat(join(root, "authorized_keys"))).mode! & 0o777, 0o600);
    assertEquals(await runCli(["grant", "bob", "--role", "admin", "--data-root-dir", root], io), 0);
    assertEquals((await Deno.readTextFile(join(root, "authorized_keys"))).startsWith("ssh-ed25519 "), true);
    assertEquals(await runCli(["grant", "bob", "--data-root-dir", root], io), 2);
    assertEquals(await runCli(["grant", "nobody", "--role", "viewer", "--data-root-dir", root], io), 1);
    assertEquals(
      await runCli(["grant", "bob", "--role", "viewer", "--apps", "billing", "--data-root-dir", root], io),
      0,
    );
    assertEquals(await runCli(["remove-ssh-key", "bob", "--data-root-dir", root], io), 0);
    assertEquals(await Deno.readTextFile(join(root, "authorized_keys")), "");
    const audit = await Deno.readTextFile(join(root, "audit.log"));
    assertEquals(
      audit.split("\n").filter((l) => / key-(added|granted) key=local name=bob /.test(l)).length,
      4,
    );
    assertEquals(audit.includes(" key-removed key=local name=bob\n"), true);
  });
});
