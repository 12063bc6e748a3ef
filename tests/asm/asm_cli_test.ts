import { assert, assertEquals, assertMatch } from "../assert.ts";
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
