/**
 * The terminal REPL's line history on disk: one line per entry, oldest first, at most `size` entries.
 * Saving writes a temporary file beside it and renames it over the old one, so a crash mid-write never
 * leaves half a history; the file is private to the user (0600) in a private directory (0700).
 */
import { dirname } from "node:path";
import { ensureDataRoot } from "../cli/data_dir.ts";

/** Where the history lives and how many entries it keeps. */
export interface HistoryFile {
  file: string;
  size: number;
}

/** The saved entries, oldest first; none if the file does not exist yet. Throws for other read errors. */
export async function loadHistory(history: HistoryFile): Promise<string[]> {
  let text;
  try {
    text = await Deno.readTextFile(history.file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  return lines.slice(-history.size);
}

/** Replaces the saved history with `entries` (oldest first), keeping the last `size`. Throws on failure. */
export async function saveHistory(history: HistoryFile, entries: readonly string[]): Promise<void> {
  await ensureDataRoot(dirname(history.file));
  const kept = entries.filter((line) => line.trim() !== "" && !line.includes("\n")).slice(-history.size);
  const temporary = `${history.file}.tmp-${Deno.pid}`;
  try {
    await Deno.writeTextFile(temporary, kept.map((line) => `${line}\n`).join(""), { mode: 0o600 });
    if (Deno.build.os !== "windows") await Deno.chmod(temporary, 0o600);
    await Deno.rename(temporary, history.file);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}
