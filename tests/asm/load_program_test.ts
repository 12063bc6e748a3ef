import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { loadProgramFile } from "../../src/asm/load_program.ts";
import { encodeIro } from "../../src/bytecode/writer.ts";
import { withTempDir } from "../support/temp_dir.ts";

Deno.test("loadProgramFile() assembles a source file and keeps its labels and text", async () => {
  await withTempDir(async (dir) => {
    const source = "\ufeffstart: load $0 #1\nhlt\n";
    await Deno.writeTextFile(`${dir}/p.iasm`, source);
    const result = await loadProgramFile(`${dir}/p.iasm`);
    assert(result.ok);
    assertEquals([...result.program.code], [0, 0, 0, 1, 5, 0, 0, 0]);
    assertEquals(result.symbols.get("start")?.address, 0);
    assertEquals(result.source, source.slice(1));
  });
});

Deno.test("loadProgramFile() renders assembly errors with the path as given", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/bad.iasm`, "hlt\nlod $1 #2\ninc $99\n");
    const result = await loadProgramFile(`${dir}/bad.iasm`);
    assert(!result.ok);
    assertEquals(
      result.message,
      `${dir}/bad.iasm:2:1: error: unknown mnemonic 'lod' (did you mean 'load'?)\nlod $1 #2\n^^^\n` +
        `${dir}/bad.iasm:3:5: error: register out of range: expected $0..$31, found $99\ninc $99\n    ^^^\n2 errors`,
    );
    assertEquals(result.diagnostics?.length, 2);
  });
});

Deno.test("loadProgramFile() decodes .iro files and prefixes their errors with the path", async () => {
  await withTempDir(async (dir) => {
    const program = { rodata: new Uint8Array([0]), code: new Uint8Array([5, 0, 0, 0]), entry: 0 };
    await Deno.writeFile(`${dir}/p.iro`, encodeIro(program));
    const result = await loadProgramFile(`${dir}/p.iro`);
    assert(result.ok);
    assertEquals(result.program, program);
    assertEquals(result.source, undefined);
    await Deno.writeFile(`${dir}/bad.iro`, new TextEncoder().encode("#!/bin/sh\n".repeat(8)));
    const bad = await loadProgramFile(`${dir}/bad.iro`);
    assert(!bad.ok);
    assertEquals(bad.message, `${dir}/bad.iro: bad magic at offset 0: expected "EPIE", found "#!/b"`);
  });
});

Deno.test("loadProgramFile() reports a missing or undecodable file in one line", async () => {
  await withTempDir(async (dir) => {
    const missing = await loadProgramFile(`${dir}/nope.iasm`);
    assert(!missing.ok);
    assertEquals(missing.message, `cannot read '${dir}/nope.iasm': no such file`);
    await Deno.writeFile(`${dir}/latin1.iasm`, new Uint8Array([0x68, 0x6c, 0x74, 0xe9]));
    const latin1 = await loadProgramFile(`${dir}/latin1.iasm`);
    assert(!latin1.ok);
    assertStringIncludes(latin1.message, "not valid UTF-8");
  });
});

Deno.test("loadProgramFile() refuses a device and a directory instead of reading them", async () => {
  const device = await loadProgramFile("/dev/zero");
  assertEquals(device, {
    ok: false,
    message: "cannot read '/dev/zero': not a regular file",
    reason: "cannot read file: not a regular file",
  });
  const directory = await loadProgramFile("/tmp");
  assertEquals(directory, {
    ok: false,
    message: "cannot read '/tmp': is a directory",
    reason: "cannot read file: is a directory",
  });
});
