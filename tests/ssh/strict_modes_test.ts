/**
 * StrictModes: a data root or authorized_keys others may write, or a host key others may read, stops the
 * server with one line naming the file and the chmod that fixes it.
 *
 * Mutations checked: a forbidden mask of 0 for any rule in checkStrictModes fails its case below.
 */
import { join } from "node:path";
import { assertEquals, assertRejects } from "../assert.ts";
import { checkStrictModes } from "../../src/ssh/strict_modes.ts";
import { freePort, makeTempDir, runCliProcess } from "./_harness.ts";

async function withDataRoot(body: (root: string) => Promise<void>): Promise<void> {
  const dir = await makeTempDir();
  try {
    const root = join(dir, "data");
    await Deno.mkdir(root, { mode: 0o700 });
    await Deno.chmod(root, 0o700);
    await Deno.writeTextFile(join(root, "authorized_keys"), "", { mode: 0o600 });
    await Deno.writeTextFile(join(root, "ssh_host_ed25519_key"), "", { mode: 0o600 });
    await body(root);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("checkStrictModes passes safe modes and names each unsafe file with its fix", async () => {
  await withDataRoot(async (root) => {
    await checkStrictModes(root);
    const cases: [string, number, string][] = [
      [root, 0o777, `'${root}' (mode 0777, others may write): fix with 'chmod go-w ${root}'`],
      [join(root, "authorized_keys"), 0o620, "(mode 0620, others may write): fix with 'chmod 600"],
      [join(root, "ssh_host_ed25519_key"), 0o640, "(mode 0640, others may read): fix with 'chmod 600"],
    ];
    for (const [path, mode, message] of cases) {
      await Deno.chmod(path, mode);
      await assertRejects(() => checkStrictModes(root), Error, message);
      await Deno.chmod(path, path === root ? 0o700 : 0o600);
    }
    await checkStrictModes(root);
  });
});

Deno.test("the daemon refuses to start on a world-writable authorized_keys, in one line", async () => {
  await withDataRoot(async (root) => {
    await Deno.remove(join(root, "ssh_host_ed25519_key"));
    await Deno.chmod(join(root, "authorized_keys"), 0o666);
    const result = await runCliProcess(
      ["--daemon", "-p", String(freePort()), "--data-root-dir", root],
      30_000,
    );
    assertEquals(result.code, 1);
    assertEquals(
      result.stderr.trim().split("\n").at(-1),
      `iridium: error: unsafe permissions on '${
        join(root, "authorized_keys")
      }' (mode 0666, others may write): ` +
        `fix with 'chmod 600 ${join(root, "authorized_keys")}'`,
    );
  });
});
