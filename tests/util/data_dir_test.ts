import { join } from "node:path";
import { assertEquals } from "../assert.ts";
import { ensureDataRoot, resolveDataRoot } from "../../src/util/data_dir.ts";

Deno.test("ensureDataRoot() creates a missing data root and its parents with mode 0700", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const root = join(dir, "a", "b", "iridium");
    await ensureDataRoot(root);
    assertEquals((await Deno.stat(root)).mode! & 0o777, 0o700);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ensureDataRoot() leaves the mode of an existing directory alone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.chmod(dir, 0o755);
    await ensureDataRoot(dir);
    assertEquals((await Deno.stat(dir)).mode! & 0o777, 0o755);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("resolveDataRoot() takes --data-root-dir as given, else a directory named iridium", () => {
  assertEquals(resolveDataRoot("/x/y"), "/x/y");
  assertEquals(resolveDataRoot(undefined).endsWith("/iridium"), true);
});
