/**
 * A patch of node:readline's Interface, written against Deno 2.9.6's node:readline: readline has no public
 * way to forget the line being edited, so Ctrl-C on an idle prompt empties the Interface's own `line` and
 * `cursor` fields, which hold the edited text and the cursor's place in it. tests/repl/library_patches_test.ts
 * fails when an upgrade renames them or stops reading them.
 */
import type { Interface } from "node:readline";

/** The library version this patch was written against. */
export const PATCHED_LIBRARY = "deno 2.9.6 node:readline";

/** Forgets the line being edited without redrawing it. */
export function abandonLine(rl: Interface): void {
  const editable = rl as unknown as { line: string; cursor: number };
  editable.line = "";
  editable.cursor = 0;
}
