/**
 * Private files written so a reader never sees half of one: a temp file beside the target, written,
 * fsynced, then renamed over it (rename is atomic within a directory on POSIX file systems).
 */
import { basename, dirname, join } from "node:path";
import { ensureDataRoot } from "./data_dir.ts";

/** Mode of every file in the data root: readable and writable by the owner only. */
export const PRIVATE_FILE_MODE = 0o600;

/** The temp files of `target` are `.NAME.XXXXXXXX.tmp` beside it. */
function tempPrefix(target: string): string {
  return `.${basename(target)}.`;
}

/**
 * A temp file older than this was left by a writer that was killed before its rename (a live writer's temp
 * lives milliseconds); it is removed by the next write of the same target.
 */
const STALE_TEMP_MS = 60_000;

async function removeStaleTemps(target: string): Promise<void> {
  const dir = dirname(target);
  const prefix = tempPrefix(target);
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !entry.name.startsWith(prefix) || !entry.name.endsWith(".tmp")) continue;
      const path = join(dir, entry.name);
      const info = await Deno.stat(path).catch(() => null);
      if (info?.mtime && Date.now() - info.mtime.getTime() > STALE_TEMP_MS) {
        await Deno.remove(path).catch(() => {});
      }
    }
  } catch {
    // Tidying is best effort; the write itself has succeeded.
  }
}

async function writeTempFile(target: string, data: Uint8Array, mode: number): Promise<string> {
  const suffix = crypto.randomUUID().slice(0, 8);
  const temp = join(dirname(target), `${tempPrefix(target)}${suffix}.tmp`);
  const file = await Deno.open(temp, { write: true, createNew: true, mode });
  try {
    let rest = data;
    while (rest.length > 0) rest = rest.subarray(await file.write(rest));
    // The mode given to open() passes through the umask; chmod states it exactly.
    if (Deno.build.os !== "windows") await Deno.chmod(temp, mode);
    await file.sync();
  } catch (error) {
    file.close();
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
  file.close();
  return temp;
}

/** How writeFileAtomic writes. */
export interface AtomicWriteOptions {
  /** The file's mode; default PRIVATE_FILE_MODE (0600). */
  mode?: number;
  /** Create the directory (0700) when missing, as for the data root; default true. */
  createDirectory?: boolean;
}

/** Replaces `target` atomically with `data` (text is written as UTF-8). */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const { mode = PRIVATE_FILE_MODE, createDirectory = true } = options;
  if (createDirectory) await ensureDataRoot(dirname(target));
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const temp = await writeTempFile(target, bytes, mode);
  try {
    await Deno.rename(temp, target);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
  await removeStaleTemps(target);
}

/**
 * Creates `target` with `text` only if it does not exist yet, atomically: the complete temp file is
 * hard-linked into place, which fails if another process got there first. Resolves to false then.
 */
export async function createFileOnce(
  target: string,
  text: string,
  mode = PRIVATE_FILE_MODE,
): Promise<boolean> {
  await ensureDataRoot(dirname(target));
  const temp = await writeTempFile(target, new TextEncoder().encode(text), mode);
  try {
    await Deno.link(temp, target);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  } finally {
    await Deno.remove(temp).catch(() => {});
  }
}
