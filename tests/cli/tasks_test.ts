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

/** Runs `deno task ARGS` in `cwd` with the environment of a plain shell: no DENO_NO_PACKAGE_JSON. */
async function denoTask(cwd: URL, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = { ...Deno.env.toObject(), NO_COLOR: "1" };
  delete env.DENO_NO_PACKAGE_JSON;
  delete env.INIT_CWD; // as typed in a shell, not under `npm test`
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", ...args],
    cwd,
    env,
    clearEnv: true,
  })
    .output();
  const text = new TextDecoder();
  return { code: output.code, stdout: text.decode(output.stdout), stderr: text.decode(output.stderr) };
}

Deno.test("plain `deno task start` runs a program, with its path relative to the directory it is run in", async () => {
  // Catches a `deno` npm package listed in the root package.json again (Deno would run its launcher for
  // `deno` inside the task) and a start task that resolves FILE against the repository root.
  const atRoot = await denoTask(new URL("../../", import.meta.url), ["start", "examples/hello.iasm"]);
  assertEquals([atRoot.code, atRoot.stdout], [0, "Hello, Iridium!\n"], atRoot.stderr);
  const inExamples = await denoTask(new URL("../../examples/", import.meta.url), ["start", "hello.iasm"]);
  assertEquals([inExamples.code, inExamples.stdout], [0, "Hello, Iridium!\n"], inExamples.stderr);
});

Deno.test("the root package.json installs nothing: the pinned Deno comes from tools/deno/", async () => {
  const root = JSON.parse(await Deno.readTextFile(new URL("../../package.json", import.meta.url)));
  assertEquals([root.dependencies, root.devDependencies, root.optionalDependencies], [
    undefined,
    undefined,
    undefined,
  ]);
  const tools = JSON.parse(
    await Deno.readTextFile(new URL("../../tools/deno/package.json", import.meta.url)),
  );
  assertEquals(tools.devDependencies.deno, Deno.version.deno);
});
