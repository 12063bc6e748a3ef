import { assert, assertEquals, assertMatch } from "../assert.ts";
import { IRIDIUM_RUN_ARGS, REPO_ROOT } from "../support/cli.ts";
import { runCli } from "../../src/cli/main.ts";
import { captureIo } from "../../src/cli/io.ts";
import { decodeIro } from "../../src/bytecode/loader.ts";
import { encodeIro } from "../../src/bytecode/writer.ts";
import { withTempDir } from "../support/temp_dir.ts";

const SOURCE = ".data\nmsg: .asciiz 'hi\\n'\n.code\nstart: prts @msg\nload $0 #-1\ndjmpe @start\nhlt\n";

Deno.test("iridium asm writes a verified .iro file and prints nothing", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/p.iasm`, SOURCE);
    const io = captureIo();
    assertEquals(await runCli(["asm", `${dir}/p.iasm`, "-o", `${dir}/p.iro`], io), 0);
    assertEquals([io.out, io.err], ["", ""]);
    const decoded = decodeIro(await Deno.readFile(`${dir}/p.iro`));
    assert(decoded.ok);
    assertEquals(decoded.program.code.length, 20);
    const names = [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
    assertEquals(names, ["p.iasm", "p.iro"], "no temporary file is left behind");
  });
});

Deno.test("iridium asm prints every diagnostic to stderr, exits 1 and writes nothing", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/bad.iasm`, "lod $1 #2\ninc $32\n");
    const io = captureIo();
    assertEquals(await runCli(["asm", `${dir}/bad.iasm`, "-o", `${dir}/bad.iro`], io), 1);
    assertEquals(io.out, "");
    assertMatch(io.err, /bad\.iasm:1:1: error: unknown mnemonic 'lod'.*\nlod \$1 #2\n\^\^\^\n/);
    assertMatch(io.err, /bad\.iasm:2:5: error: register out of range/);
    assertMatch(io.err, /2 errors\n$/);
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name), ["bad.iasm"]);
  });
});

Deno.test("iridium asm reports an unreadable input and an unwritable output in one line", async () => {
  await withTempDir(async (dir) => {
    const io = captureIo();
    assertEquals(await runCli(["asm", `${dir}/none.iasm`, "-o", `${dir}/x.iro`], io), 1);
    assertEquals(io.err, `iridium: error: cannot read '${dir}/none.iasm': no such file\n`);
    await Deno.writeTextFile(`${dir}/p.iasm`, "hlt");
    const out = captureIo();
    assertEquals(await runCli(["asm", `${dir}/p.iasm`, "-o", `${dir}/missing/p.iro`], out), 1);
    assertEquals(out.err, `iridium: error: cannot write '${dir}/missing/p.iro': no such file\n`);
  });
});

Deno.test("iridium disasm prints assembly that iridium asm turns back into the same file", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/p.iasm`, SOURCE);
    assertEquals(await runCli(["asm", `${dir}/p.iasm`, "-o", `${dir}/p.iro`], captureIo()), 0);
    const io = captureIo();
    assertEquals(await runCli(["disasm", `${dir}/p.iro`], io), 0);
    assertEquals(io.err, "");
    assertMatch(io.out, /^\.data\nd_0000: \.asciiz "hi\\n"\n\.code\n/);
    await Deno.writeTextFile(`${dir}/again.iasm`, io.out);
    assertEquals(await runCli(["asm", `${dir}/again.iasm`, "-o", `${dir}/again.iro`], captureIo()), 0);
    assertEquals(await Deno.readFile(`${dir}/again.iro`), await Deno.readFile(`${dir}/p.iro`));
  });
});

Deno.test("iridium disasm rejects a bad file with one error line and exit status 1", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/bad.iro`, new Uint8Array(64));
    const io = captureIo();
    assertEquals(await runCli(["disasm", `${dir}/bad.iro`], io), 1);
    assertEquals(io.out, "");
    assertEquals(
      io.err,
      `iridium: error: ${dir}/bad.iro: bad magic at offset 0: expected "EPIE", found 0x00 0x00 0x00 0x00\n`,
    );
    const missing = captureIo();
    assertEquals(await runCli(["disasm", `${dir}/none.iro`], missing), 1);
    assertEquals(missing.err, `iridium: error: cannot read '${dir}/none.iro': no such file\n`);
  });
});

Deno.test("iridium disasm then asm keeps a nonzero entry point: the .iro comes back byte for byte", async () => {
  await withTempDir(async (dir) => {
    // nop; hlt; then the entry at 0x0008: nop; djmpe 0x0004.
    const code = new Uint8Array([16, 0, 0, 0, 5, 0, 0, 0, 16, 0, 0, 0, 20, 0, 4, 0]);
    const original = encodeIro({ rodata: new Uint8Array([104, 105, 0]), code, entry: 8 });
    assert(decodeIro(original).ok);
    await Deno.writeFile(`${dir}/p.iro`, original);
    const io = captureIo();
    assertEquals(await runCli(["disasm", `${dir}/p.iro`], io), 0);
    assertMatch(io.out, /^\.entry @L_0008\n/);
    await Deno.writeTextFile(`${dir}/again.iasm`, io.out);
    assertEquals(await runCli(["asm", `${dir}/again.iasm`, "-o", `${dir}/again.iro`], captureIo()), 0);
    assertEquals(await Deno.readFile(`${dir}/again.iro`), original);
  });
});

Deno.test("iridium asm without -o writes NAME.iro beside the input, as luac and gcc do", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/p.iasm`, SOURCE);
    await Deno.writeTextFile(`${dir}/plain`, "hlt\n");
    assertEquals(await runCli(["asm", `${dir}/p.iasm`], captureIo()), 0);
    assertEquals(await runCli(["asm", `${dir}/plain`], captureIo()), 0);
    assert(decodeIro(await Deno.readFile(`${dir}/p.iro`)).ok);
    assert(decodeIro(await Deno.readFile(`${dir}/plain.iro`)).ok);
  });
});

Deno.test("iridium asm refuses to write its output over its input, by name or through a link", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/p.iasm`, SOURCE);
    await Deno.symlink(`${dir}/p.iasm`, `${dir}/link.iro`);
    for (const output of [`${dir}/p.iasm`, `${dir}/./p.iasm`, `${dir}/link.iro`]) {
      const io = captureIo();
      assertEquals(await runCli(["asm", `${dir}/p.iasm`, "-o", output], io), 1);
      assertEquals(
        io.err,
        `iridium: error: '${output}' is the input file: refusing to replace it with bytecode\n`,
      );
    }
    // A .iro input without -o would name itself as its output.
    assertEquals(await runCli(["asm", `${dir}/p.iasm`, "-o", `${dir}/p.iro`], captureIo()), 0);
    const io = captureIo();
    assertEquals(await runCli(["asm", `${dir}/p.iro`], io), 1);
    assertMatch(io.err, /is the input file/);
    assertEquals(await Deno.readTextFile(`${dir}/p.iasm`), SOURCE);
  });
});

Deno.test("a bytecode file is recognized by its EPIE magic whatever its name", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/p.iasm`, SOURCE);
    assertEquals(await runCli(["asm", `${dir}/p.iasm`, "-o", `${dir}/renamed.iasm`], captureIo()), 0);
    const run = captureIo();
    // The loop prints while $0 (-1) is not equal: it ends at `hlt` after one line.
    assertEquals(await runCli([`${dir}/renamed.iasm`], run), 0, run.err);
    assertEquals(run.out, "hi\n");
    const again = captureIo();
    assertEquals(await runCli(["asm", `${dir}/renamed.iasm`, "-o", `${dir}/again.iro`], again), 0, again.err);
    assertEquals(await Deno.readFile(`${dir}/again.iro`), await Deno.readFile(`${dir}/renamed.iasm`));
  });
});

/** Runs `iridium ARGS` as a process with `stdin` as its standard input. */
async function runWithStdin(args: string[], stdin: Uint8Array) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...IRIDIUM_RUN_ARGS, ...args],
    cwd: REPO_ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(stdin);
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  return { code, stdout, stderr: new TextDecoder().decode(stderr) };
}

Deno.test("'-' is standard input for iridium, asm and disasm, and standard output for asm -o", async () => {
  const source = new TextEncoder().encode(SOURCE);
  const asm = await runWithStdin(["asm", "-", "-o", "-"], source);
  assertEquals([asm.code, asm.stderr], [0, ""]);
  const decoded = decodeIro(asm.stdout);
  assert(decoded.ok);
  assertEquals(asm.stdout, encodeIro(decoded.program));
  const disasm = await runWithStdin(["disasm", "-"], asm.stdout);
  assertEquals(disasm.code, 0, disasm.stderr);
  assertMatch(new TextDecoder().decode(disasm.stdout), /^\.data\nd_0000: \.asciiz "hi\\n"/);
  const run = await runWithStdin(["-"], source);
  assertEquals([run.code, new TextDecoder().decode(run.stdout)], [0, "hi\n"], run.stderr);
  const runBytecode = await runWithStdin(["-"], asm.stdout);
  assertEquals([runBytecode.code, new TextDecoder().decode(runBytecode.stdout)], [0, "hi\n"]);
  const bad = await runWithStdin(["-"], new TextEncoder().encode("lod $0 #1\n"));
  assertEquals(bad.code, 1);
  assertMatch(bad.stderr, /^<stdin>:1:1: error: unknown mnemonic 'lod'/);
  const nameless = await runWithStdin(["asm", "-"], source);
  assertEquals(nameless.code, 2);
  assertMatch(nameless.stderr, /give '-o OUT'/);
});

Deno.test("iridium asm names the path and says in plain words why it cannot write there", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/p.iasm`, "hlt\n");
    const io = captureIo();
    assertEquals(await runCli(["asm", `${dir}/p.iasm`, "-o", `${dir}/p.iasm/x.iro`], io), 1);
    assertEquals(
      io.err,
      `iridium: error: cannot write '${dir}/p.iasm/x.iro': a part of the path is not a directory\n`,
    );
  });
});
