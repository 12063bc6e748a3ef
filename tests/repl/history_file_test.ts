import { assertEquals, assertRejects } from "../assert.ts";
import { loadHistory, saveHistory } from "../../src/repl/history_file.ts";
import { tempDir } from "./_helpers.ts";

Deno.test("saveHistory() keeps the last entries, oldest first, in a private file in a private directory", async () => {
  await using tmp = await tempDir();
  const history = { file: `${tmp.dir}/data/history`, size: 3 };
  assertEquals(await loadHistory(history), [], "no file yet");
  await saveHistory(history, ["a", "", "b", "c", "d"]);
  assertEquals(await Deno.readTextFile(history.file), "b\nc\nd\n");
  assertEquals(await loadHistory(history), ["b", "c", "d"]);
  assertEquals((await Deno.stat(history.file)).mode! & 0o777, 0o600);
  assertEquals((await Deno.stat(`${tmp.dir}/data`)).mode! & 0o777, 0o700);
  assertEquals(
    [...Deno.readDirSync(`${tmp.dir}/data`)].map((e) => e.name),
    ["history"],
    "no temporary file left",
  );
});

Deno.test("loadHistory() keeps only the last `size` entries of a longer file", async () => {
  await using tmp = await tempDir();
  const file = `${tmp.dir}/history`;
  await Deno.writeTextFile(file, "1\n2\n\n3\n4\n");
  assertEquals(await loadHistory({ file, size: 2 }), ["3", "4"]);
});

Deno.test("saveHistory() fails with an error, leaving the old file, when it cannot write", async () => {
  await using tmp = await tempDir();
  await Deno.writeTextFile(`${tmp.dir}/file`, "");
  await assertRejects(() => saveHistory({ file: `${tmp.dir}/file/history`, size: 5 }, ["x"]), Error);
});
