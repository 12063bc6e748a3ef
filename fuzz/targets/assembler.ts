/**
 * Random and mutated assembly → assemble(): it returns ok or diagnostics and never throws; every
 * diagnostic renders as `FILE:LINE:COL: error: MESSAGE`, the source line and a caret line; an accepted
 * program passes the loader's verification, disassembles to source that assembles to the same bytes, and
 * runs on both tiers to a clean end within a budget.
 */
import { assemble } from "../../src/asm/assembler.ts";
import { disassemble } from "../../src/asm/disassembler.ts";
import { decodeIro } from "../../src/bytecode/loader.ts";
import { encodeIro } from "../../src/bytecode/writer.ts";
import type { Diagnostic } from "../../src/diag/diagnostic.ts";
import { renderDiagnostics } from "../../src/diag/render.ts";
import { mutateText, randomSource } from "../assembly.ts";
import { readExamples } from "../examples.ts";
import { check, checkNoLeak, type FuzzTarget, show } from "../harness.ts";
import type { Random } from "../random.ts";
import { runOnBothTiers } from "../run_both.ts";

const FILE = "fuzz.iasm";
const BUDGET = 5_000;
const HEADER = /^fuzz\.iasm:(\d+):(\d+): error: (.+)$/s;
const CARETS = /^[ \t]*\^+$/;

/** The source of one case: random, a mutated example, or a mutated random source. */
export function caseSource(random: Random, examples: string[]): string {
  const roll = random.next();
  if (roll < 0.5) return randomSource(random);
  if (roll < 0.8) return mutateText(random, random.pick(examples));
  return mutateText(random, randomSource(random));
}

/** Checks each diagnostic and its rendering. */
export function checkDiagnostics(diagnostics: Diagnostic[], source: string): void {
  check(diagnostics.length > 0, "assemble() failed without a diagnostic", source);
  const lineCount = source.split("\n").length;
  for (const d of diagnostics) {
    check(d.file === FILE, `diagnostic names file ${show(d.file)}`, source);
    check(Number.isInteger(d.line) && d.line >= 1 && d.line <= lineCount, `bad line in ${show(d)}`, source);
    check(Number.isInteger(d.col) && d.col >= 1, `bad column in ${show(d)}`, source);
    check(Number.isInteger(d.length) && d.length >= 1, `bad caret width in ${show(d)}`, source);
    check(
      /^[^A-Z\s]/.test(d.message) && !/[.\s]$/.test(d.message),
      `message style: ${show(d.message)}`,
      source,
    );
  }
  const rendered = renderDiagnostics(diagnostics, source);
  checkNoLeak(rendered, "rendered diagnostics", source);
  const lines = rendered.split("\n");
  check(lines.pop() === "", "rendering does not end with a newline", source);
  if (diagnostics.length > 1) {
    check(lines.pop() === `${diagnostics.length} errors`, "no 'N errors' line after several errors", source);
  }
  check(lines.length === diagnostics.length * 3, `rendering has ${lines.length} lines`, source);
  diagnostics.forEach((d, i) => {
    const header = HEADER.exec(lines[i * 3]);
    check(header, `malformed header ${show(lines[i * 3])}`, source);
    check(Number(header[1]) === d.line && Number(header[2]) === d.col, "header position differs", source);
    check(CARETS.test(lines[i * 3 + 2]), `malformed caret line ${show(lines[i * 3 + 2])}`, source);
  });
}

/** The assembler target. */
export const ASSEMBLER_TARGET: FuzzTarget<{ examples: string[] }> = {
  name: "asm",
  property: "assemble() never throws; diagnostics well-formed; accepted programs verify, round-trip and run",
  async setup() {
    return { examples: [...(await readExamples()).values()] };
  },
  run(random, { examples }) {
    const source = caseSource(random, examples);
    let result;
    try {
      result = assemble(source, { file: FILE });
    } catch (error) {
      check(false, `assemble() threw ${(error as Error).stack ?? error}`, source);
    }
    if (!result.ok) {
      checkDiagnostics(result.diagnostics, source);
      return "rejected";
    }
    const program = { code: result.code, rodata: result.rodata, entry: result.entry };
    const decoded = decodeIro(encodeIro(program));
    check(decoded.ok, `the loader rejects an assembled program: ${!decoded.ok && decoded.error}`, source);
    const text = disassemble(program);
    const again = assemble(text);
    check(
      again.ok && show(again.code) === show(program.code) && show(again.rodata) === show(program.rodata),
      `disassembly does not assemble back to the same bytes:\n${text}\n    ${
        again.ok ? "different bytes" : renderDiagnostics(again.diagnostics, text)
      }`,
      source,
    );
    return runOnBothTiers(program, BUDGET, source).status;
  },
  async teardown() {},
};
