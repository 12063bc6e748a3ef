/**
 * `iridium app deploy|list|remove` on a temp data root: what it stores and every kind of bad input as one
 * line. Mutations checked: a deploy that skips verification (the assembly error would deploy), --restart
 * without its choices (the bad policy exits 0), a missing name accepted by remove.
 */
import { join } from "node:path";
import { assertEquals, assertMatch } from "../assert.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { withTempDir } from "../support/temp_dir.ts";

async function cli(root: string, ...args: string[]) {
  const io = captureIo();
  const code = await runCli([...args, "--data-root-dir", root], io);
  return { code, out: io.out, err: io.err };
}

Deno.test("iridium app deploy, list and remove manage the data root's applications", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "data"), file = join(dir, "a.iasm");
    await Deno.writeTextFile(file, "load $0 #1\nprti $0\nhlt\n");
    assertEquals(await cli(root, "app", "deploy", "web", file), {
      code: 0,
      out: "deployed 'web' (restart on-fault)\n",
      err: "",
    });
    assertEquals((await cli(root, "app", "deploy", "jobs", file, "--restart", "never")).code, 0);
    const listed = await cli(root, "app", "list");
    assertMatch(listed.out, /^jobs\s+restart never\s+deployed \S+\nweb\s+restart on-fault\s+deployed \S+\n$/);
    assertEquals(await cli(root, "app", "remove", "web"), { code: 0, out: "removed 'web'\n", err: "" });
    assertEquals(
      (await cli(root, "app", "remove", "web")).err,
      "iridium: error: no application named 'web'\n",
    );
  });
});

Deno.test("iridium app refuses bad names, bad programs, bad policies and wrong argument counts in one line", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "data"), bad = join(dir, "bad.iasm");
    await Deno.writeTextFile(bad, "lod $0 #1\n");
    const deployBad = await cli(root, "app", "deploy", "web", bad);
    assertEquals(deployBad.code, 1);
    assertMatch(deployBad.err, /bad\.iasm:1:1: error: unknown mnemonic 'lod'/);
    const badName = await cli(root, "app", "deploy", "Web", bad);
    assertEquals(badName, {
      code: 1,
      out: "",
      err: "iridium: error: invalid application name 'Web': expected [a-z][a-z0-9_-]{0,31}\n",
    });
    const missing = await cli(root, "app", "deploy", "web", join(dir, "none.iasm"));
    assertEquals(missing.code, 1);
    assertMatch(missing.err, /^iridium: error: cannot read '.*none\.iasm': /);
    const policy = await cli(root, "app", "deploy", "web", bad, "--restart", "sometimes");
    assertEquals(policy.code, 2);
    assertMatch(policy.err, /sometimes/);
    assertEquals(await cli(root, "app", "list", "web"), {
      code: 2,
      out: "",
      err: "iridium: error: expected 'iridium app list' without arguments, found 1 argument\n",
    });
    assertEquals((await cli(root, "app", "remove")).code, 2);
    assertEquals(
      (await cli(root, "app", "list")).err,
      `no applications in ${root}; deploy one with 'iridium app deploy NAME FILE'\n`,
    );
  });
});
