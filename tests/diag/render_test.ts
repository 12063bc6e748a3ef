/**
 * Rendering diagnostics. Mutations caught: splitting the source once per diagnostic (the split count
 * test), and echoing a long line whole or with a misplaced caret (the clipping test).
 */
import { assertEquals } from "../assert.ts";
import { MAX_SHOWN_LINE, renderDiagnostic, renderDiagnostics } from "../../src/diag/render.ts";
import type { Diagnostic } from "../../src/diag/diagnostic.ts";

const at = (line: number, col: number, length: number, message: string): Diagnostic => ({
  file: "prog.iasm",
  line,
  col,
  length,
  message,
});

Deno.test("renderDiagnostic() prints the position, the source line and a caret under the fault", () => {
  const source = "load $0 #1\nadd $0 $1\n";
  assertEquals(
    renderDiagnostic(at(2, 5, 2, "something"), source),
    "prog.iasm:2:5: error: something\nadd $0 $1\n    ^^\n",
  );
});

Deno.test("renderDiagnostic() keeps tabs in the caret padding so the caret lines up", () => {
  const source = "\tload\t$40 #1";
  assertEquals(
    renderDiagnostic(at(1, 7, 3, "bad"), source),
    "prog.iasm:1:7: error: bad\n\tload\t$40 #1\n\t    \t^^^\n",
  );
});

Deno.test("renderDiagnostic() draws at least one caret and copes with a line past the end", () => {
  assertEquals(renderDiagnostic(at(1, 1, 0, "empty"), "x"), "prog.iasm:1:1: error: empty\nx\n^\n");
  assertEquals(renderDiagnostic(at(5, 1, 1, "gone"), "x"), "prog.iasm:5:1: error: gone\n\n^\n");
});

Deno.test("renderDiagnostic() drops a carriage return at the end of the source line", () => {
  assertEquals(renderDiagnostic(at(1, 1, 3, "m"), "hlt\r\nnop"), "prog.iasm:1:1: error: m\nhlt\n^^^\n");
});

Deno.test("renderDiagnostics() renders all in order and counts them when there are several", () => {
  const source = "a\nb";
  assertEquals(renderDiagnostics([at(1, 1, 1, "one")], source), "prog.iasm:1:1: error: one\na\n^\n");
  assertEquals(
    renderDiagnostics([at(1, 1, 1, "one"), at(2, 1, 1, "two")], source),
    "prog.iasm:1:1: error: one\na\n^\nprog.iasm:2:1: error: two\nb\n^\n2 errors\n",
  );
  assertEquals(renderDiagnostics([], source), "");
});

Deno.test("renderDiagnostic() shows control characters of the source as U+FFFD, keeping the caret's column", () => {
  const source = "nop\x1b[2J bogus";
  const text = renderDiagnostic(
    { file: "a.iasm", line: 1, col: 10, length: 5, message: "unknown '\x1b[2J'" },
    source,
  );
  assertEquals(text, "a.iasm:1:10: error: unknown '\ufffd[2J'\nnop\ufffd[2J bogus\n         ^^^^^\n");
});

Deno.test("renderDiagnostics() splits the source once, however many diagnostics it renders", () => {
  const source = Array.from({ length: 1000 }, (_, i) => `line${i}`).join("\n");
  const split = String.prototype.split;
  let splits = 0;
  String.prototype.split = function (this: string, ...args: Parameters<typeof split>) {
    if (this.length === source.length) splits++;
    return split.apply(this, args);
  } as typeof split;
  try {
    const text = renderDiagnostics(Array.from({ length: 500 }, (_, i) => at(i + 1, 1, 4, "bad")), source);
    assertEquals(text.split("\n").length, 500 * 3 + 2);
  } finally {
    String.prototype.split = split;
  }
  assertEquals(splits, 1);
});

Deno.test("renderDiagnostic() clips a long line around the caret, which stays under the fault", () => {
  const line = `${"a".repeat(35_000)}BAD${"z".repeat(35_000)}`;
  const [, shown, caret] = renderDiagnostic(at(1, 35_001, 3, "bad"), line).split("\n");
  assertEquals(shown.length <= MAX_SHOWN_LINE + 2, true);
  assertEquals(shown.startsWith("…") && shown.endsWith("…"), true);
  assertEquals(shown.slice(caret.indexOf("^"), caret.length), "BAD");
  // Near the start the line is cut only at its end; a short line is shown whole.
  const [, start, startCaret] = renderDiagnostic(at(1, 2, 1, "bad"), `xY${"z".repeat(500)}`).split("\n");
  assertEquals([start.startsWith("xY"), start.endsWith("…"), startCaret], [true, true, " ^"]);
});
