/**
 * What `iridium FILE` loads before its program runs: the entry's static imports plus those of
 * src/cli/run_file.ts, read from `deno info --json`. The REPL side (node:process, node:readline, the REPL,
 * the worker pool) and SSH are loaded only when asked, as each adds milliseconds to every program's start.
 */
import { assert, assertEquals } from "../assert.ts";
import { REPO_ROOT } from "../support/cli.ts";

interface GraphModule {
  specifier: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

/** The module graph of main.ts, dynamic imports included (each edge says whether it is dynamic). */
async function moduleGraph(): Promise<Map<string, GraphModule>> {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--no-lock", "main.ts"],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(info.success, new TextDecoder().decode(info.stderr));
  const graph = JSON.parse(new TextDecoder().decode(info.stdout)) as { modules: GraphModule[] };
  return new Map(graph.modules.map((module) => [module.specifier, module]));
}

/** The modules `roots` load through static imports (type-only imports load nothing). */
function staticClosure(graph: Map<string, GraphModule>, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...roots];
  while (todo.length > 0) {
    const specifier = todo.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dependency of graph.get(specifier)?.dependencies ?? []) {
      if (dependency.code && !dependency.isDynamic) todo.push(dependency.code.specifier);
    }
  }
  return seen;
}

Deno.test("iridium FILE loads the VM and the assembler, not the REPL, the pool, SSH or node:process", async () => {
  const graph = await moduleGraph();
  const root = new URL(REPO_ROOT, "file:///").href;
  const loaded = staticClosure(graph, [`${root}main.ts`, `${root}src/cli/run_file.ts`]);
  for (const needed of ["src/asm/assembler.ts", "src/vm/fast/select.ts", "src/cli/parse.ts"]) {
    assert(loaded.has(`${root}${needed}`), `${needed} is not loaded: the walk of the graph is broken`);
  }
  const unwanted = [...loaded].filter((specifier) =>
    /\/src\/(repl|pool|ssh)\//.test(specifier) || specifier.startsWith("npm:") ||
    ["node:process", "node:readline"].includes(specifier)
  );
  assertEquals(unwanted, []);
});
