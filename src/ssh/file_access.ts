/**
 * What files an SSH session may read. `!load_file`, `!spawn PATH` and `!add_ssh_key PATH` read the
 * server's files, and an assembly error echoes the lines it read; so over SSH they reach only the directory
 * given with `--ssh-files-dir`, and nothing without it (the host key sits in the data root). Symbolic links
 * are followed before the check, so none leads out.
 */
import { isAbsolute, resolve, sep } from "node:path";

/** Resolves a path a session names to the real path it may open, or rejects with a one-line Error. */
export type PathResolver = (path: string) => Promise<string>;

/** The resolver for SSH sessions: confined to `root`, or refusing everything when there is none. */
export function confinedPaths(root: string | undefined): PathResolver {
  return async (path) => {
    if (!root) {
      throw new Error(
        "reading files is not available over SSH; the server must be started with --ssh-files-dir DIR",
      );
    }
    const base = await Deno.realPath(root);
    let real: string;
    try {
      real = await Deno.realPath(isAbsolute(path) ? path : resolve(base, path));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) throw new Error(`cannot read '${path}': no such file`);
      throw new Error(`cannot read '${path}': ${error instanceof Error ? error.message : String(error)}`);
    }
    if (real !== base && !real.startsWith(base.endsWith(sep) ? base : base + sep)) {
      throw new Error(`cannot read '${path}': outside the directory SSH sessions may read`);
    }
    return real;
  };
}
