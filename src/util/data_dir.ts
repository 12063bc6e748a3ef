/** The data root directory: host key, authorized keys, history and audit log (docs/cli.md). */
import { join } from "node:path";
import { isOsError, osErrorReason } from "./os_error.ts";

/**
 * The directory given with --data-root-dir, else `$XDG_DATA_HOME/iridium`, else
 * `~/.local/share/iridium`. It is not created here; whoever writes into it creates it with mode 0700.
 */
export function resolveDataRoot(option: string | undefined): string {
  if (option) return option;
  const xdg = Deno.env.get("XDG_DATA_HOME");
  if (xdg) return join(xdg, "iridium");
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? ".";
  return join(home, ".local", "share", "iridium");
}

/**
 * Creates the data root (and parents) if missing, private to the user (0700). A directory that already
 * exists keeps its mode: `--data-root-dir ~` must not lock up a home directory. The files inside are 0600
 * whatever the directory's mode.
 */
export async function ensureDataRoot(dir: string): Promise<void> {
  try {
    await Deno.mkdir(dir, { mode: 0o700 });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return;
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 }); // parents missing too
  }
  if (Deno.build.os !== "windows") await Deno.chmod(dir, 0o700); // the umask may have cut the mode
}

/**
 * Runs `body`, which uses files of the data root `dir`; an OS error from it (which names no path) is
 * rethrown naming the data root: `cannot use the data root '/x': a part of the path is not a directory`.
 */
export async function inDataRoot<T>(dir: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (!isOsError(error)) throw error;
    throw new Error(`cannot use the data root '${dir}': ${osErrorReason(error)}`);
  }
}
