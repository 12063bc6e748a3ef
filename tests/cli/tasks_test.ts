import { assertEquals, assertStringIncludes } from "../assert.ts";
import { permissionFlagsOf } from "../support/cli.ts";

const DENO_JSON = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));

Deno.test("deno task start and the compiled binary get exactly the same permissions", () => {
  assertEquals(permissionFlagsOf("compile"), permissionFlagsOf("start"));
  assertEquals(permissionFlagsOf("start").length > 0, true);
});

Deno.test("the compile task embeds every worker module the program starts", async () => {
  const compile = DENO_JSON.tasks.compile as string;
  for (const worker of ["src/ssh/server_worker.ts", "src/pool/pool_worker.ts"]) {
    await Deno.stat(new URL(`../../${worker}`, import.meta.url)); // the file exists
    assertStringIncludes(compile, `--include ${worker}`);
  }
});

Deno.test("no module imports from JSR, which is out of reach", async () => {
  for await (const path of walk(new URL("../../src/", import.meta.url))) {
    const text = await Deno.readTextFile(path);
    assertEquals(/from\s+["']jsr:/.test(text), false, path.pathname);
  }
});

async function* walk(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yield* walk(url);
    else if (entry.name.endsWith(".ts")) yield url;
  }
}
