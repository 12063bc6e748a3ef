import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { run } from "./_harness.ts";
import { createFileOnce, writeFileAtomic } from "../../src/util/atomic_file.ts";
import { AuditLog, formatAuditEvent } from "../../src/ssh/audit_log.ts";
import { loadHostKey } from "../../src/ssh/host_key.ts";
import { withTempDir } from "../support/temp_dir.ts";

async function entries(dir: string): Promise<string[]> {
  const names = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

Deno.test("writeFileAtomic() replaces a file whole, mode 0600, in a 0700 directory, leaving no temp file", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "nested", "root");
    const file = join(root, "f");
    await writeFileAtomic(file, "one\n");
    await Deno.chmod(file, 0o644);
    const before = (await Deno.stat(file)).ino;
    await writeFileAtomic(file, "two\n");
    assertEquals(await Deno.readTextFile(file), "two\n");
    const info = await Deno.stat(file);
    assertEquals(info.mode! & 0o777, 0o600);
    assert(info.ino !== before, "a new inode, renamed over the old one");
    assertEquals((await Deno.stat(root)).mode! & 0o777, 0o700);
    assertEquals(await entries(root), ["f"]);
  });
});

Deno.test("createFileOnce() writes only the first time", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "once");
    assertEquals(await createFileOnce(file, "first"), true);
    assertEquals(await createFileOnce(file, "second"), false);
    assertEquals(await Deno.readTextFile(file), "first");
    assertEquals(await entries(dir), ["once"]);
  });
});

Deno.test("loadHostKey() makes an ed25519 key once, 0600, and reuses it; ssh-keygen agrees on its fingerprint", async () => {
  await withTempDir(async (dir) => {
    const first = await loadHostKey(dir);
    const again = await loadHostKey(dir);
    assertEquals(again, first);
    assertMatch(first.publicLine, /^ssh-ed25519 AAAA/);
    assertEquals((await Deno.stat(join(dir, "ssh_host_ed25519_key"))).mode! & 0o777, 0o600);
    const listed = await run("ssh-keygen", ["-lf", join(dir, "ssh_host_ed25519_key.pub")]);
    assertEquals(listed.stdout.split(" ")[1], first.fingerprint);
    const fromPrivate = await run("ssh-keygen", ["-y", "-f", join(dir, "ssh_host_ed25519_key")]);
    assertEquals(fromPrivate.stdout.trim().split(" ").slice(0, 2).join(" "), first.publicLine);
  });
});

Deno.test("AuditLog appends timestamped lines, mode 0600, quoting what a client chose", async () => {
  await withTempDir(async (dir) => {
    const echoed: string[] = [];
    const log = new AuditLog(dir, (line) => echoed.push(line));
    log.record("refused", { user: "eve\nlogin user=root", reason: "unknown key", from: "127.0.0.1:5" });
    log.record("login", { user: "bob", key: undefined, from: "127.0.0.1:6" });
    await log.flush();
    const lines = (await Deno.readTextFile(log.path)).trimEnd().split("\n");
    assertEquals(lines.length, 2);
    assertMatch(lines[0], /^\d{4}-\d\d-\d\dT\S+Z refused user="eve\\nlogin user=root" reason="unknown key"/);
    assertStringIncludes(lines[1], "login user=bob from=127.0.0.1:6");
    assertEquals(echoed[1], "ssh: login user=bob from=127.0.0.1:6");
    assertEquals((await Deno.stat(log.path)).mode! & 0o777, 0o600);
    assertEquals(formatAuditEvent("x", { n: 3, s: "a b" }), 'x n=3 s="a b"');
    // Separators, C1 controls and bidi overrides that JSON leaves raw are escaped too.
    assertEquals(
      formatAuditEvent("x", { user: "ev\u2028il\u202e\u0085" }),
      'x user="ev\\u2028il\\u202e\\u0085"',
    );
  });
});
