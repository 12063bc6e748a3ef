/**
 * `iridium check`: every diagnostic of the assembler and of the bytecode loader comes out of `check --json`,
 * one JSON line each, and the exit status says whether all files are clean.
 * Mutations caught: keeping only a file's first diagnostic, stopping at the first bad file, an end column
 * that ignores the caret width, dropping the loader's message, exit 0 with errors, exit 1 when clean.
 */
import { assert, assertEquals } from "../assert.ts";
import { runCli } from "../../src/cli/main.ts";
import { captureIo } from "../../src/cli/io.ts";
import { assemble } from "../../src/asm/assembler.ts";
import { decodeIro } from "../../src/bytecode/loader.ts";
import { encodeIro } from "../../src/bytecode/writer.ts";
import type { Program } from "../../src/bytecode/program.ts";
import { withTempDir } from "../support/temp_dir.ts";

/** One source per kind of assembler diagnostic (docs/language.md), several in some files. */
const BAD_SOURCES: Record<string, string> = {
  "mnemonic.iasm": "hlt\n  lod $1 #2\nfrobnicate $1\n",
  "operands.iasm": "add $1 $2\nhlt $1\nload #1 #2\nload $1 #3.5\nprts 'hi'\n",
  "ranges.iasm": "lui $1 #65536\ncloop #-1\nshl $1 #32\nload $1 #2147483648\ninc $32\nprtf64 $99\n",
  "labels.iasm": "loop: nop\ndjmpe @lop\na: nop\na: hlt\nstart: prts @start\n",
  "data.iasm": '.data\nx: .flaot #1.5\n  .integer #1\nhlt\ns: .asciiz \'abc ; no end\nt: .asciiz "a\\qb"\n',
  "outside.iasm": "x: .asciiz 'a'\n.data\nm: .asciiz 'x'\n.code\ncall @m\n",
  "lexer.iasm": "inc $x\ndjmpe @\nload $1 #abc\nnop ~\n#5 hlt\nx: y: hlt\n.data\nb: .bytes #256\n",
};

/** A small valid program, as in the loader's tests: `prts @s`, `ldi $1 @n`, `djmpe @end`, `end: hlt`. */
const PROGRAM: Program = {
  rodata: new Uint8Array([104, 105, 0, 7, 0, 0, 0]),
  code: new Uint8Array([21, 0, 0, 0, 48, 1, 0, 3, 20, 0, 12, 0, 5, 0, 0, 0]),
  entry: 0,
};

function withCode(offset: number, bytes: number[]): Program {
  const code = PROGRAM.code.slice();
  code.set(bytes, offset);
  return { ...PROGRAM, code };
}

function patched(change: (bytes: Uint8Array, view: DataView) => void): Uint8Array {
  const bytes = encodeIro(PROGRAM);
  change(bytes, new DataView(bytes.buffer));
  return bytes;
}

/** One file per rejection the loader knows (docs/bytecode.md): header, section lengths, every verifier check. */
const BAD_BYTECODE: Record<string, Uint8Array> = {
  "short.iro": new Uint8Array(10),
  "magic.iro": patched((bytes) => bytes.set([0x7f, 0x45, 0x4c, 0x46])),
  "version.iro": patched((bytes) => bytes[4] = 2),
  "reserved.iro": patched((bytes) => bytes[63] = 9),
  "rodata_length.iro": patched((_, view) => view.setUint32(8, 1000, true)),
  "code_length.iro": patched((_, view) => view.setUint32(12, 0xffff_fff0, true)),
  "trailing.iro": new Uint8Array([...encodeIro(PROGRAM), 0, 0, 0]),
  "odd_code.iro": encodeIro({ ...PROGRAM, code: PROGRAM.code.subarray(0, 14) }),
  "entry.iro": encodeIro({ ...PROGRAM, entry: 2 }),
  "opcode.iro": encodeIro(withCode(8, [0xff])),
  "register.iro": encodeIro(withCode(5, [32])),
  "jump.iro": encodeIro(withCode(8, [20, 0, 6, 0])),
  "rodata.iro": encodeIro(withCode(7, [4])),
  "shift.iro": encodeIro(withCode(12, [33, 1, 0, 32])),
  "padding.iro": encodeIro(withCode(12, [5, 0, 1, 0])),
};

interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endColumn: number;
  severity: string;
  message: string;
}

async function check(args: string[]): Promise<{ code: number; lines: JsonDiagnostic[]; err: string }> {
  const io = captureIo();
  const code = await runCli(["check", "--json", ...args], io);
  const lines = io.out.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
  return { code, lines, err: io.err };
}

Deno.test("check --json reports every assembler diagnostic of every file, as assemble() finds them", async () => {
  await withTempDir(async (dir) => {
    const expected: JsonDiagnostic[] = [];
    for (const [name, source] of Object.entries(BAD_SOURCES)) {
      const file = `${dir}/${name}`;
      await Deno.writeTextFile(file, source);
      const result = assemble(source, { file });
      assert(!result.ok, name);
      for (const d of result.diagnostics) {
        expected.push({
          file,
          line: d.line,
          column: d.col,
          endColumn: d.col + d.length,
          severity: "error",
          message: d.message,
        });
      }
    }
    const { code, lines, err } = await check([
      ...Object.keys(BAD_SOURCES).map((name) => `${dir}/${name}`),
      new URL("../../examples/hello.iasm", import.meta.url).pathname,
    ]);
    assertEquals(code, 1);
    const files = Object.keys(BAD_SOURCES).length;
    assertEquals(err, `iridium: error: ${expected.length} errors in ${files} of ${files + 1} files\n`);
    assertEquals(lines, expected);
    assert(
      new Set(lines.map((d) => d.message.split(/[:']/)[0])).size >= 19,
      "the corpus covers every kind of message",
    );
    const mnemonic = lines.find((d) => d.message.startsWith("unknown mnemonic 'lod'"));
    assertEquals([mnemonic?.line, mnemonic?.column, mnemonic?.endColumn], [2, 3, 6]);
  });
});

Deno.test("check --json reports every rejection of the bytecode loader at the file's start", async () => {
  await withTempDir(async (dir) => {
    const names = Object.keys(BAD_BYTECODE);
    for (const name of names) await Deno.writeFile(`${dir}/${name}`, BAD_BYTECODE[name]);
    const { code, lines } = await check(names.map((name) => `${dir}/${name}`));
    assertEquals(code, 1);
    assertEquals(lines.length, names.length);
    const messages = new Set<string>();
    names.forEach((name, i) => {
      const decoded = decodeIro(BAD_BYTECODE[name]);
      assert(!decoded.ok, name);
      assertEquals(lines[i], {
        file: `${dir}/${name}`,
        line: 1,
        column: 1,
        endColumn: 2,
        severity: "error",
        message: decoded.error,
      });
      messages.add(decoded.error.split(/ at | [0-9]|:/)[0]);
    });
    assertEquals(messages.size, 13, [...messages].join(" | "));
  });
});

Deno.test("check --json reports files it cannot read", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/latin1.iasm`, new Uint8Array([0x68, 0x6c, 0x74, 0xe9]));
    const { code, lines } = await check([`${dir}/none.iasm`, dir, `${dir}/latin1.iasm`]);
    assertEquals(code, 1);
    assertEquals(lines.map((d) => [d.line, d.column, d.message]), [
      [1, 1, "cannot read file: no such file"],
      [1, 1, "cannot read file: is a directory"],
      [1, 1, "cannot read file: not valid UTF-8 text"],
    ]);
  });
});

Deno.test("check exits 0 and prints nothing when every file is clean, .iasm and .iro alike", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/p.iro`, encodeIro(PROGRAM));
    const examples = [...Deno.readDirSync(new URL("../../examples/", import.meta.url))]
      .filter((entry) => entry.name.endsWith(".iasm"))
      .map((entry) => new URL(`../../examples/${entry.name}`, import.meta.url).pathname);
    for (const json of [[], ["--json"]]) {
      const io = captureIo();
      assertEquals(await runCli(["check", ...json, `${dir}/p.iro`, ...examples], io), 0);
      assertEquals([io.out, io.err], ["", ""]);
    }
  });
});

Deno.test("check without --json prints what `iridium asm` prints, for every bad file, on stderr", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/a.iasm`, "lod $1 #2\ninc $32\n");
    await Deno.writeFile(`${dir}/b.iro`, BAD_BYTECODE["magic.iro"]);
    const io = captureIo();
    assertEquals(await runCli(["check", `${dir}/a.iasm`, `${dir}/b.iro`], io), 1);
    const asm = captureIo();
    await runCli(["asm", `${dir}/a.iasm`, "-o", `${dir}/a.iro`], asm);
    await runCli(["asm", `${dir}/b.iro`, "-o", `${dir}/b2.iro`], asm);
    assertEquals([io.out, io.err], ["", asm.err]);
  });
});
