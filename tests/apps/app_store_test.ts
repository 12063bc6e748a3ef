/**
 * The application store and logs in a temp data root. Mutations checked: names not checked (the
 * invalid-name cases deploy), logs that never rotate (the rotation test keeps everything), a remove that
 * leaves the folder, a revision that does not change on a new deploy.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotEquals, assertRejects } from "../assert.ts";
import { AppStore } from "../../src/apps/app_store.ts";
import { AppLog } from "../../src/apps/app_log.ts";
import { buildProgram } from "../support/program.ts";
import { withTempDir } from "../support/temp_dir.ts";

const PROGRAM = buildProgram([["load", 0, 7], ["prti", 0], ["hlt"]]);

Deno.test("deploy stores verified bytecode and settings; a new deploy changes the revision", async () => {
  await withTempDir(async (root) => {
    const store = new AppStore(root);
    const first = await store.deploy("web-1", PROGRAM, "always");
    const read = await store.read("web-1");
    assertEquals(read?.program.code, PROGRAM.code);
    assertEquals(read?.settings, first);
    assertEquals((await Deno.stat(join(root, "apps", "web-1", "settings.json"))).mode! & 0o777, 0o600);
    const second = await store.deploy("web-1", PROGRAM);
    assertNotEquals(second.revision, first.revision);
    assertEquals(second.restart, "on-fault");
    assertEquals([...(await store.revisions()).keys()], ["web-1"]);
  });
});

Deno.test("names are [a-z][a-z0-9_-]{0,31}; anything else is refused with one line", async () => {
  await withTempDir(async (root) => {
    const store = new AppStore(root);
    for (const bad of ["", "A", "1a", "a.b", "../x", "a".repeat(33), "a b"]) {
      await assertRejects(
        () => store.deploy(bad, PROGRAM),
        Error,
        `invalid application name '${bad}': expected [a-z][a-z0-9_-]{0,31}`,
      );
    }
    await store.deploy("a".repeat(32), PROGRAM);
    await store.deploy("z_9-", PROGRAM);
    assertEquals((await store.revisions()).size, 2);
  });
});

Deno.test("remove takes the folder away; removing an unknown application says so", async () => {
  await withTempDir(async (root) => {
    const store = new AppStore(root);
    await store.deploy("gone", PROGRAM);
    await store.remove("gone");
    assertEquals((await store.revisions()).size, 0);
    await assertRejects(() => Deno.stat(join(root, "apps", "gone")), Deno.errors.NotFound);
    await assertRejects(() => store.remove("gone"), Error, "no application named 'gone'");
  });
});

Deno.test("a folder with damaged settings or bytecode is not an application", async () => {
  await withTempDir(async (root) => {
    const store = new AppStore(root);
    await store.deploy("ok", PROGRAM);
    await store.deploy("broken", PROGRAM);
    await Deno.writeTextFile(join(root, "apps", "broken", "program.iro"), "not bytecode");
    assertEquals(await store.read("broken"), undefined);
    await Deno.writeTextFile(join(root, "apps", "broken", "settings.json"), "{");
    assertEquals([...(await store.revisions()).keys()], ["ok"]);
  });
});

Deno.test("a log rotates past its limit, keeps the newest text in order and survives a new AppLog", async () => {
  await withTempDir(async (dir) => {
    const log = new AppLog(dir, 100);
    for (let i = 0; i < 30; i++) await log.append(`line ${String(i).padStart(2, "0")}\n`);
    const text = await new AppLog(dir, 100).read();
    assert(text.length <= 200, `kept ${text.length} bytes`);
    assert(text.endsWith("line 29\n"));
    assert(!text.includes("line 00"));
    const numbers = text.trim().split("\n").map((l) => Number(l.slice(5)));
    assertEquals(numbers, numbers.toSorted((a, b) => a - b));
  });
});
