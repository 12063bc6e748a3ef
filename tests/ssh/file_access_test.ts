/**
 * What SSH sessions may read: nothing without --ssh-files-dir, and only inside it with it (symbolic links
 * followed), never the data root, only the file kinds each command takes; a missing file and a file
 * outside get the same answer. Unit tests of the reader, then end-to-end checks that the host key stays out
 * of reach, also with --ssh-files-dir set to the directory holding the data root.
 *
 * Mutations checked: without the `inside(real, data)` check the data-root test reads keys.pub; with
 * different messages for missing and outside files the second test fails; without the extension check
 * the end-to-end test echoes the host key's lines.
 */
import { join } from "node:path";
import { assertEquals, assertRejects, assertStringIncludes } from "../assert.ts";
import { confinedFiles } from "../../src/ssh/file_access.ts";
import { generateKey, makeTempDir, run, ServerProcess, sshOptions, writeKnownHosts } from "./_harness.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";

const NOWHERE = "no such file in the directory SSH sessions may read";

Deno.test("confinedFiles() refuses every path when no directory is given", async () => {
  await assertRejects(
    () => confinedFiles(undefined, "/nonexistent")("a.iasm", [".iasm"]),
    Error,
    "--ssh-files-dir",
  );
});

Deno.test("confinedFiles() reads inside its directory; outside and missing get the same answer", async () => {
  const dir = await makeTempDir();
  try {
    const files = join(dir, "files");
    await Deno.mkdir(join(files, "sub"), { recursive: true });
    await Deno.writeTextFile(join(files, "sub", "a.iasm"), "hlt\n");
    await Deno.writeTextFile(join(dir, "secret.iasm"), "key\n");
    await Deno.symlink(join(dir, "secret.iasm"), join(files, "link.iasm"));
    const read = confinedFiles(files, join(dir, "data"));
    const real = await Deno.realPath(join(files, "sub", "a.iasm"));
    for (const path of ["sub/a.iasm", join(files, "sub", "a.iasm")]) {
      const got = await read(path, [".iasm"]);
      assertEquals([got.path, new TextDecoder().decode(got.bytes)], [real, "hlt\n"]);
    }
    for (
      const path of ["../secret.iasm", join(dir, "secret.iasm"), "link.iasm", "missing.iasm", "../none.iasm"]
    ) {
      await assertRejects(() => read(path, [".iasm"]), Error, `cannot read '${path}': ${NOWHERE}`);
    }
    await assertRejects(() => read("/etc/passwd", [".iasm"]), Error, "expected a .iasm file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("confinedFiles() keeps the data root out even when it lies inside the directory", async () => {
  const dir = await makeTempDir();
  try {
    await Deno.mkdir(join(dir, "data"));
    await Deno.writeTextFile(join(dir, "data", "keys.pub"), "ssh-ed25519 AAAA\n");
    await Deno.writeTextFile(join(dir, "ok.pub"), "ssh-ed25519 AAAA\n");
    const read = confinedFiles(dir, join(dir, "data"));
    await assertRejects(() => read("data/keys.pub", [".pub"]), Error, NOWHERE);
    assertEquals((await read("ok.pub", [".pub"])).bytes.length, 17);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("over SSH, !load_file cannot read the host key, and reads only inside --ssh-files-dir", async () => {
  const dir = await makeTempDir();
  const root = join(dir, "data");
  const files = join(dir, "files");
  await Deno.mkdir(files);
  await Deno.writeTextFile(join(files, "seven.iasm"), "load $0 #7\nprti $0\nhlt\n");
  let server: ServerProcess | null = null;
  try {
    const key = await generateKey(dir, "alice");
    assertEquals(await runCli(["add-ssh-key", `${key}.pub`, "--data-root-dir", root], captureIo()), 0);
    server = await ServerProcess.start(root, ["--ssh-files-dir", files]);
    const knownHosts = join(dir, "known_hosts");
    await writeKnownHosts(knownHosts, root, [server.port]);
    const ssh = (line: string) =>
      run("ssh", [...sshOptions(knownHosts, key, server!.port), "127.0.0.1", line]);
    const stolen = await ssh(`!load_file ${join(root, "ssh_host_ed25519_key")}`);
    assertStringIncludes(stolen.stdout, "expected a .iasm or .iro file");
    assertEquals(stolen.stdout.includes("PRIVATE KEY"), false);
    const allowed = await ssh("!load_file seven.iasm");
    assertEquals([allowed.code, allowed.stdout], [0, "7\n"], allowed.stderr);
  } finally {
    await server?.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("over SSH, --ssh-files-dir above the data root still keeps the host key out", async () => {
  const dir = await makeTempDir();
  const root = join(dir, "data");
  let server: ServerProcess | null = null;
  try {
    const key = await generateKey(dir, "alice");
    assertEquals(await runCli(["add-ssh-key", `${key}.pub`, "--data-root-dir", root], captureIo()), 0);
    await Deno.copyFile(`${key}.pub`, join(dir, "data_copy.pub"));
    server = await ServerProcess.start(root, ["--ssh-files-dir", dir]);
    const knownHosts = join(dir, "known_hosts");
    await writeKnownHosts(knownHosts, root, [server.port]);
    const ssh = (line: string) =>
      run("ssh", [...sshOptions(knownHosts, key, server!.port), "127.0.0.1", line]);
    for (const path of ["data/ssh_host_ed25519_key", "alice", "data/ssh_host_ed25519_key.pub"]) {
      const result = await ssh(`!load_file ${path}`);
      assertEquals(
        result.stdout.includes("PRIVATE KEY") || result.stdout.includes("AAAA"),
        false,
        result.stdout,
      );
      assertStringIncludes(result.stdout, "expected a .iasm or .iro file");
    }
    const pub = await ssh("!add_ssh_key data/ssh_host_ed25519_key.pub");
    assertStringIncludes(pub.stdout, "no such file in the directory SSH sessions may read");
  } finally {
    await server?.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});
