/**
 * `iridium check FILE...`: assemble or load each file and verify its code, running nothing. Exit 0 when
 * every file is clean, 1 otherwise. Diagnostics print as `iridium asm` prints them, or with `--json` as one
 * JSON object per line on stdout for editors and CI, and a one-line count on stderr.
 */
import { loadProgramFile } from "../asm/load_program.ts";
import { verifyCode } from "../bytecode/verify.ts";
import type { Diagnostic } from "../diag/diagnostic.ts";
import type { CommandHandler } from "./commands.ts";
import { errorLine, EXIT_FAILURE, EXIT_OK } from "./messages.ts";

/** One diagnostic as `check --json` prints it. Columns are 1-based; `endColumn` is one past the last. */
export interface CheckDiagnostic {
  file: string;
  line: number;
  column: number;
  endColumn: number;
  severity: "error";
  message: string;
}

/** A problem of the whole file (unreadable, bad bytecode): placed at its first character. */
function wholeFile(file: string, message: string): CheckDiagnostic {
  return { file, line: 1, column: 1, endColumn: 2, severity: "error", message };
}

function fromDiagnostic(d: Diagnostic): CheckDiagnostic {
  return {
    file: d.file,
    line: d.line,
    column: d.col,
    endColumn: d.col + d.length,
    severity: "error",
    message: d.message,
  };
}

/** Every diagnostic of one file, and its text as `iridium asm` would print it ("" when clean). */
export async function checkFile(path: string): Promise<{ diagnostics: CheckDiagnostic[]; text: string }> {
  const loaded = await loadProgramFile(path);
  if (loaded.ok) {
    // The assembler emits only code that verifies; checking it here keeps that promise honest.
    const problem = verifyCode(loaded.program);
    if (!problem) return { diagnostics: [], text: "" };
    return { diagnostics: [wholeFile(path, problem)], text: errorLine(`${path}: ${problem}`) };
  }
  if (loaded.diagnostics) {
    return { diagnostics: loaded.diagnostics.map(fromDiagnostic), text: `${loaded.message}\n` };
  }
  return { diagnostics: [wholeFile(path, loaded.reason ?? loaded.message)], text: errorLine(loaded.message) };
}

/** Checks every FILE; prints what is wrong; exit 1 when anything is. */
export const runCheck: CommandHandler = async (args, io) => {
  const files = args.lists.FILE;
  let count = 0;
  let badFiles = 0;
  for (const path of files) {
    const { diagnostics, text } = await checkFile(path);
    if (diagnostics.length === 0) continue;
    count += diagnostics.length;
    badFiles++;
    if (args.options.json) io.stdout(diagnostics.map((d) => `${JSON.stringify(d)}\n`).join(""));
    else io.stderr(text);
  }
  if (badFiles === 0) return EXIT_OK;
  // With --json stdout is for tools; a person reading the terminal still learns why the status is 1.
  if (args.options.json) {
    io.stderr(errorLine(`${plural(count, "error")} in ${badFiles} of ${plural(files.length, "file")}`));
  }
  return EXIT_FAILURE;
};

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
