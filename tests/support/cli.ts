/**
 * How tests start Iridium as a process: `deno run` with exactly the permissions of `deno task start` (and of
 * the compiled binary), read from deno.json so they are written in one place.
 */
const DENO_JSON = JSON.parse(Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)));

/** The `--allow-*` flags of a deno.json task. */
export function permissionFlagsOf(task: string): string[] {
  return (DENO_JSON.tasks[task] as string).split(/\s+/).filter((word) => word.startsWith("--allow-"));
}

/** The repository's root directory, the working directory for `deno run … main.ts`. */
export const REPO_ROOT = new URL("../../", import.meta.url).pathname;

/** Arguments to `Deno.execPath()` that run `iridium` (append the CLI's own arguments). */
export const IRIDIUM_RUN_ARGS: readonly string[] = ["run", ...permissionFlagsOf("start"), "main.ts"];
