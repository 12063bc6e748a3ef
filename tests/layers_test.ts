/**
 * The architecture as the static imports of src/ show it: folders form layers that point down only, no
 * module imports itself back through others (type-only imports included), and machines are made through
 * the VM's one public entry.
 *
 * Mutations caught: src/ssh/start.ts importing src/cli/ again, src/util/ importing anything above it, a type
 * imported back from src/repl/commands.ts into src/repl/format.ts (a cycle), or `new Machine(` or an import
 * of src/vm/fast/ outside src/vm/ each fail one test here with the offending file.
 */
import { dirname, join, relative } from "node:path";
import { assert, assertEquals } from "./assert.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** Folder layers, lowest first: a module may import its own folder or a folder of a lower or equal rank. */
const LAYER: Record<string, number> = {
  util: 0,
  isa: 1,
  diag: 1,
  bytecode: 2,
  asm: 3,
  vm: 3,
  repl: 4,
  access: 4,
  pool: 5,
  ssh: 6,
  apps: 6,
  cli: 7,
  docs: 8,
};

/** What code outside src/vm/ may import from it. */
const VM_ENTRIES = new Set(["src/vm/create_machine.ts", "src/vm/faults.ts", "src/vm/output_buffer.ts"]);

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of Deno.readDirSync(join(ROOT, dir))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) found.push(...sourceFiles(path));
    else if (entry.name.endsWith(".ts")) found.push(path);
  }
  return found.sort();
}

/** Static imports and re-exports of `file` (type-only ones included; dynamic import() left out). */
function importsOf(file: string, text: string): string[] {
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)"/gm),
    ...text.matchAll(/^\s*import\s*"([^"]+)"/gm),
  ].map((m) => m[1]);
  return specifiers.filter((s) => s.startsWith(".") && s.endsWith(".ts"))
    .map((s) => relative(ROOT, join(ROOT, dirname(file), s)));
}

const FILES = sourceFiles("src");
const GRAPH = new Map(FILES.map((file) => [file, importsOf(file, Deno.readTextFileSync(join(ROOT, file)))]));
const folderOf = (file: string) => file.split("/")[1];

Deno.test("the import graph of src/ is read: every module is found and imports resolve to files", () => {
  assert(FILES.length > 50, `only ${FILES.length} modules`);
  for (const [file, imports] of GRAPH) {
    for (const target of imports) {
      assert(GRAPH.has(target), `${file} imports ${target}, not a module of src/`);
    }
  }
});

Deno.test("src/ folders import only their own layer or layers below it", () => {
  const upward: string[] = [];
  for (const [file, imports] of GRAPH) {
    for (const target of imports) {
      const from = folderOf(file), to = folderOf(target);
      assert(from in LAYER && to in LAYER, `no layer for ${file} or ${target}`);
      if (from !== to && LAYER[to] > LAYER[from]) upward.push(`${file} -> ${target}`);
    }
  }
  assertEquals(upward, []);
});

Deno.test("no module of src/ imports itself back through others, type-only imports included", () => {
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      cycles.push([...path.slice(path.indexOf(file)), file].join(" -> "));
      return;
    }
    state.set(file, "open");
    for (const target of GRAPH.get(file) ?? []) visit(target, [...path, file]);
    state.set(file, "done");
  };
  for (const file of FILES) visit(file, []);
  assertEquals(cycles, []);
});

Deno.test("machines are made through src/vm/create_machine.ts, the VM's one public entry", () => {
  const reaching: string[] = [];
  for (const [file, imports] of GRAPH) {
    if (folderOf(file) === "vm") continue;
    for (const target of imports) {
      if (folderOf(target) === "vm" && !VM_ENTRIES.has(target)) reaching.push(`${file} -> ${target}`);
    }
    if (/\bnew Machine\(/.test(Deno.readTextFileSync(join(ROOT, file)))) {
      reaching.push(`${file}: new Machine(`);
    }
  }
  assertEquals(reaching, []);
});
