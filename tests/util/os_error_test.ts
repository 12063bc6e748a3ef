/**
 * OS errors in this project's words. Catches: a Deno error class missing from the table (its message
 * would keep "(os error N)"), and /dev/stdin not pointing to `-`.
 */
import { assertEquals } from "../assert.ts";
import { isOsError, osErrorReason } from "../../src/util/os_error.ts";

Deno.test("osErrorReason() says why an OS call failed without the OS's number", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/file`, "");
    const failures: [() => Promise<unknown>, string][] = [
      [() => Deno.readTextFile(`${dir}/file/below`), "a part of the path is not a directory"],
      [() => Deno.readTextFile(`${dir}/none`), "no such file"],
      [() => Deno.readTextFile(dir), "is a directory"],
      [() => Deno.mkdir(dir), "already exists"],
    ];
    for (const [operation, reason] of failures) {
      const error = await operation().then(() => undefined, (e) => e);
      assertEquals([isOsError(error), osErrorReason(error)], [true, reason]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assertEquals(osErrorReason(new Error("Broken thing (os error 99)")), "broken thing");
  assertEquals(
    osErrorReason(new Deno.errors.NotCapable("run again with the --allow-all flag"), "/dev/stdin"),
    "not allowed for this program; use '-' for standard input or output",
  );
  assertEquals(isOsError(new Error("x")), false);
});
