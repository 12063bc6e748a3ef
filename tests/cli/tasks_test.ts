/**
 * deno.json's tasks: permissions shared by `deno task start` and the binary, the workers embedded.
 *
 * Mutation caught: a `new Worker(...)` module missing from the compile task's `--include` list (the binary
 * would fail when it starts that worker) fails "embeds every worker module".
 */
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { permissionFlagsOf } from "../support/cli.ts";

const DENO_JSON = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));

Deno.test("deno task start and the compiled binary get exactly the same permissions", () => {
  assertEquals(permissionFlagsOf("compile"), permissionFlagsOf("start"));
  assertEquals(permissionFlagsOf("start").length > 0, true);
});

Deno.test("the compile task embeds every worker module that src/ starts with `new Worker`", async () => {
  const compile = DENO_JSON.tasks.compile as string;
  const root = new URL("../../", import.meta.url);
  const workers: string[] = [];
  for await (const path of walk(new URL("src/", root))) {
    const text = await Deno.readTextFile(path);
    const literal = [...text.matchAll(/new Worker\(\s*new URL\("([^"]+)", import\.meta\.url\)/g)];
    const calls = text.match(/new Worker\(/g)?.length ?? 0;
    assertEquals(literal.length, calls, `${path.pathname}: a worker whose module is not a literal URL`);
    for (const match of literal) workers.push(new URL(match[1], path).pathname.slice(root.pathname.length));
  }
  assert(workers.length >= 2, `found only ${workers.join(", ")}`);
  for (const worker of workers) {
    await Deno.stat(new URL(worker, root)); // the file exists
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
