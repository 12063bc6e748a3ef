import { join } from "node:path";
import { assertEquals } from "../assert.ts";
import { writeFileAtomic } from "../../src/util/atomic_file.ts";

Deno.test("writeFileAtomic() removes temp files that a killed writer left, and only old ones", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = join(dir, "authorized_keys");
    const stale = join(dir, ".authorized_keys.deadbeef.tmp");
    const fresh = join(dir, ".authorized_keys.0badf00d.tmp");
    const other = join(dir, ".history.deadbeef.tmp");
    for (const path of [stale, fresh, other]) await Deno.writeTextFile(path, "partial");
    const hourAgo = new Date(Date.now() - 3_600_000);
    await Deno.utime(stale, hourAgo, hourAgo);
    await Deno.utime(other, hourAgo, hourAgo);
    await writeFileAtomic(target, "ssh-ed25519 AAAA k\n");
    const names = [];
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
    assertEquals(names.sort(), [".authorized_keys.0badf00d.tmp", ".history.deadbeef.tmp", "authorized_keys"]);
    assertEquals(await Deno.readTextFile(target), "ssh-ed25519 AAAA k\n");
    assertEquals((await Deno.stat(target)).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
