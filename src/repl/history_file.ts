/**
 * The terminal REPL's line history on disk: one line per entry, oldest first, at most `size` entries.
 * Saving writes a temporary file beside it and renames it over the old one, so a crash mid-write never
 * leaves half a history; the file is private to the user (0600) in a private directory (0700).
 */
import { writeFileAtomic } from "../util/atomic_file.ts";

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
  const kept = entries.filter((line) => line.trim() !== "" && !line.includes("\n")).slice(-history.size);
  await writeFileAtomic(history.file, kept.map((line) => `${line}\n`).join(""));
}
