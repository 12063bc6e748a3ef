/**
 * Skipped authorized_keys lines and an empty key list are told, not passed over. Mutations caught: the
 * skip callback not called (no warning), the start-up check left out of startSsh (no daemon warning).
 */
import { join } from "node:path";
import { assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { generateKey, ServerProcess } from "./_harness.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { withTempDir } from "../support/temp_dir.ts";

Deno.test("list-ssh-keys warns once for each authorized_keys line it skips, with its line number", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    const key = await generateKey(dir, "alice");
    assertEquals(await runCli(["add-ssh-key", `${key}.pub`, "--data-root-dir", root], captureIo()), 0);
    const path = join(root, "authorized_keys");
    const good = await Deno.readTextFile(path);
    await Deno.writeTextFile(path, `# a comment\n\ngarbage here\n${good}ssh-dss AAAA old\n`);
    const io = captureIo();
    assertEquals(await runCli(["list-ssh-keys", "--data-root-dir", root], io), 0);
    assertMatch(io.out, /^alice@test\s+ssh-ed25519\s+SHA256:/);
    const warnings = io.err.trimEnd().split("\n");
    assertEquals(warnings.length, 2, io.err);
    assertMatch(warnings[0], new RegExp(`^warning: ${path}:3: line skipped: `));
    assertMatch(warnings[1], new RegExp(`^warning: ${path}:5: line skipped: `));
  });
});

Deno.test("--daemon warns at start about skipped lines, and says how to add a key when there is none", async () => {
  await withTempDir(async (dir) => {
    const empty = await ServerProcess.start(join(dir, "empty"));
    try {
      await empty.waitForStderr("add one with 'iridium add-ssh-key PUB_KEY_FILE'");
      assertStringIncludes(empty.stderr, "no authorized keys in ");
    } finally {
      await empty.stop("SIGKILL");
    }
    const root = join(dir, "garbled");
    await Deno.mkdir(root);
    await Deno.writeTextFile(join(root, "authorized_keys"), "not a key\n");
    const garbled = await ServerProcess.start(root);
    try {
      await garbled.waitForStderr(`${join(root, "authorized_keys")}:1: line skipped`);
    } finally {
      await garbled.stop("SIGKILL");
    }
  });
});
