import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertRejects, assertStringIncludes } from "../assert.ts";
import { generateKey, run } from "./_harness.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import {
  addAuthorizedKeyFile,
  KeyStoreError,
  listAuthorizedKeys,
  removeAuthorizedKey,
} from "../../src/ssh/key_store.ts";
import { withTempDir } from "../support/temp_dir.ts";

Deno.test("addAuthorizedKeyFile() appends `type base64 name` lines to a private authorized_keys", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "data");
    const alice = await generateKey(dir, "alice");
    const bob = await generateKey(dir, "bob", "ecdsa", 384);
    const a = await addAuthorizedKeyFile(root, `${alice}.pub`);
    const b = await addAuthorizedKeyFile(root, `${bob}.pub`, "bob's laptop");
    assertEquals([a.name, b.name], ["alice@test", "bob's laptop"]);
    const file = join(root, "authorized_keys");
    const lines = (await Deno.readTextFile(file)).trimEnd().split("\n");
    assertEquals(lines.length, 2);
    assertMatch(lines[1], /^ecdsa-sha2-nistp384 AAAA\S+ bob's laptop$/);
    assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(root)).mode! & 0o777, 0o700);
    // OpenSSH itself reads the file: same fingerprints, same order.
    const listed = (await run("ssh-keygen", ["-lf", file])).stdout.trim().split("\n").map((l) =>
      l.split(" ")[1]
    );
    assertEquals(listed, [a.fingerprint, b.fingerprint]);
    assertEquals((await listAuthorizedKeys(root)).map((k) => k.name), ["alice@test", "bob's laptop"]);
    // No temp file is left beside it.
    const names = [];
    for await (const entry of Deno.readDir(root)) names.push(entry.name);
    assertEquals(names, ["authorized_keys"]);
  });
});

Deno.test("addAuthorizedKeyFile() refuses a duplicate key or name and leaves the file as it was", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "data");
    const alice = await generateKey(dir, "alice");
    const other = await generateKey(dir, "other", "ed25519", undefined, "alice@test");
    await addAuthorizedKeyFile(root, `${alice}.pub`);
    const before = await Deno.readTextFile(join(root, "authorized_keys"));
    await assertRejects(
      () => addAuthorizedKeyFile(root, `${alice}.pub`, "again"),
      KeyStoreError,
      "already authorized as 'alice@test'",
    );
    await assertRejects(
      () => addAuthorizedKeyFile(root, `${other}.pub`),
      KeyStoreError,
      "a key named 'alice@test' is already",
    );
    await assertRejects(
      () => addAuthorizedKeyFile(root, join(dir, "missing.pub")),
      KeyStoreError,
      "no such file",
    );
    assertEquals(await Deno.readTextFile(join(root, "authorized_keys")), before);
  });
});

Deno.test("removeAuthorizedKey() removes by name or fingerprint and keeps other lines", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "data");
    const a = await addAuthorizedKeyFile(root, `${await generateKey(dir, "a")}.pub`);
    const b = await addAuthorizedKeyFile(root, `${await generateKey(dir, "b")}.pub`);
    const c = await addAuthorizedKeyFile(root, `${await generateKey(dir, "c")}.pub`);
    const file = join(root, "authorized_keys");
    await Deno.writeTextFile(file, `# kept comment\n${await Deno.readTextFile(file)}`);
    assertEquals((await removeAuthorizedKey(root, "b@test")).fingerprint, b.fingerprint);
    assertEquals((await removeAuthorizedKey(root, a.fingerprint)).name, "a@test");
    assertEquals((await listAuthorizedKeys(root)).map((k) => k.name), [c.name]);
    assertStringIncludes(await Deno.readTextFile(file), "# kept comment\n");
    await assertRejects(() => removeAuthorizedKey(root, "nobody"), KeyStoreError, "no authorized key named");
    assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
  });
});

Deno.test("add-ssh-key, list-ssh-keys and remove-ssh-key print one line per result and exit 0 or 1", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "data");
    const key = await generateKey(dir, "carol");
    const cli = async (...argv: string[]) => {
      const io = captureIo();
      const code = await runCli([...argv, "--data-root-dir", root], io);
      return { code, out: io.out, err: io.err };
    };
    const fingerprint = (await run("ssh-keygen", ["-lf", `${key}.pub`])).stdout.split(" ")[1];
    const empty = await cli("list-ssh-keys");
    assertEquals([empty.code, empty.out], [0, ""]);
    assertStringIncludes(empty.err, "no authorized keys");
    assertEquals(await cli("add-ssh-key", `${key}.pub`, "--name", "carol"), {
      code: 0,
      out: `authorized 'carol': ssh-ed25519 ${fingerprint} as admin\n`,
      err: "",
    });
    assertEquals((await cli("list-ssh-keys")).out, `carol  ssh-ed25519  ${fingerprint}  admin\n`);
    const missing = await cli("remove-ssh-key", "dave");
    assertEquals(missing.code, 1);
    assertMatch(missing.err, /^iridium: error: no authorized key named or with fingerprint 'dave'.*\n$/);
    assertEquals(
      (await cli("remove-ssh-key", fingerprint)).out,
      `removed 'carol': ssh-ed25519 ${fingerprint}\n`,
    );
    assertEquals((await cli("list-ssh-keys")).out, "");
  });
});

Deno.test("add-ssh-key refuses a private key, garbage, an empty file, a duplicate and RSA 1024 in one line each", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "data");
    const key = await generateKey(dir, "erin");
    const rsa = await generateKey(dir, "small", "rsa", 1024);
    const garbage = join(dir, "garbage.pub");
    await Deno.writeFile(garbage, new Uint8Array(300).map((_, i) => (i * 7919 + 13) % 256));
    const empty = join(dir, "empty.pub");
    await Deno.writeTextFile(empty, "");
    const io0 = captureIo();
    assertEquals(await runCli(["add-ssh-key", `${key}.pub`, "--data-root-dir", root], io0), 0);
    const cases: [string[], string][] = [
      [[key], "that is a private key; give the .pub file"],
      [[garbage], "not an OpenSSH public key"],
      [[empty], "the file is empty"],
      [[`${key}.pub`, "--name", "other"], "already authorized as 'erin@test'"],
      [[`${rsa}.pub`], "the RSA key has 1024 bits; at least 2048 are required"],
    ];
    for (const [args, message] of cases) {
      const io = captureIo();
      assertEquals(await runCli(["add-ssh-key", ...args, "--data-root-dir", root], io), 1, message);
      assertStringIncludes(io.err, message);
      assert(io.err.startsWith("iridium: error: ") && io.err.split("\n").length === 2, io.err);
      assertEquals(io.out, "");
    }
    assertEquals((await listAuthorizedKeys(root)).length, 1);
  });
});
