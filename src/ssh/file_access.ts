/**
 * What files an SSH session may read. `!load_file`, `!spawn PATH` and `!add_ssh_key PATH` read the
 * server's files, and an assembly error echoes the lines it read; so over SSH they reach only the directory
 * given with `--ssh-files-dir`, never the data root (with the host key) even when it lies inside, and
 * nothing without `--ssh-files-dir`.
 *
 * The file is opened first and what was opened is checked afterwards: the real path of the name must lie
 * inside the directory, and the file at that real path must be the very file opened (same device and
 * inode), so swapping a symbolic link between the check and the read gains nothing. A missing file and a
 * file outside get the same answer, so an SSH user learns nothing about what exists outside. Only the
 * kinds of file each command takes are read (`.iasm` or `.iro` for programs, `.pub` for keys), so a key
 * or binary file is never echoed by an assembly error.
 */
import { isAbsolute, resolve, sep } from "node:path";

/** The largest file a session reads: 64 MiB (see MAX_PROGRAM_FILE_BYTES). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** A file read for a session: its real path and its bytes. */
export interface ReadFileResult {
  path: string;
  bytes: Uint8Array;
}

/** Reads a file a session names, if its name ends with one of `extensions`; rejects with a one-line Error. */
export type ConfinedReader = (path: string, extensions: readonly string[]) => Promise<ReadFileResult>;

function inside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/**
 * The reader for SSH sessions: confined to `root` and kept out of `dataRoot`, or refusing everything when
 * there is no `root`.
 */
export function confinedFiles(root: string | undefined, dataRoot: string): ConfinedReader {
  return async (path, extensions) => {
    if (!root) {
      throw new Error(
        "reading files is not available over SSH; the server must be started with --ssh-files-dir DIR",
      );
    }
    if (!extensions.some((ext) => path.toLowerCase().endsWith(ext))) {
      throw new Error(`cannot read '${path}': expected a ${extensions.join(" or ")} file`);
    }
    const denied = new Error(`cannot read '${path}': no such file in the directory SSH sessions may read`);
    const base = await Deno.realPath(root);
    const data = await Deno.realPath(dataRoot).catch(() => resolve(dataRoot));
    const full = isAbsolute(path) ? path : resolve(base, path);
    let file: Deno.FsFile;
    try {
      file = await Deno.open(full, { read: true });
    } catch {
      throw denied;
    }
    try {
      const opened = await file.stat();
      const real = await Deno.realPath(full).catch(() => null);
      if (real === null || !inside(real, base) || inside(real, data)) throw denied;
      const named = await Deno.stat(real).catch(() => null);
      if (named?.dev !== opened.dev || named?.ino !== opened.ino) throw denied; // swapped meanwhile
      if (!opened.isFile) throw new Error(`cannot read '${path}': not a regular file`);
      if (opened.size > MAX_FILE_BYTES) {
        throw new Error(`cannot read '${path}': larger than ${MAX_FILE_BYTES} bytes`);
      }
      const bytes = new Uint8Array(opened.size);
      let filled = 0;
      while (filled < bytes.length) {
        const n = await file.read(bytes.subarray(filled));
        if (n === null) break;
        filled += n;
      }
      return { path: real, bytes: bytes.subarray(0, filled) };
    } finally {
      file.close();
    }
  };
}
