/**
 * What SSH sessions may read: nothing without --ssh-files-dir, and only inside it with it (symbolic links
 * followed). Unit tests of the resolver, then one end-to-end check that the host key stays out of reach.
 */
import { join } from "node:path";
import { assertEquals, assertRejects, assertStringIncludes } from "../assert.ts";
import { confinedPaths } from "../../src/ssh/file_access.ts";
import { generateKey, makeTempDir, run, ServerProcess, sshOptions, writeKnownHosts } from "./_harness.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";

Deno.test("confinedPaths() refuses every path when no directory is given", async () => {
  await assertRejects(() => confinedPaths(undefined)("a.iasm"), Error, "--ssh-files-dir");
});

Deno.test("confinedPaths() resolves inside its directory and refuses what leads out, links included", async () => {
  const dir = await makeTempDir();
  try {
    const files = join(dir, "files");
    await Deno.mkdir(join(files, "sub"), { recursive: true });
    await Deno.writeTextFile(join(files, "sub", "a.iasm"), "hlt\n");
    await Deno.writeTextFile(join(dir, "secret"), "key\n");
    await Deno.symlink(join(dir, "secret"), join(files, "link"));
    const resolve = confinedPaths(files);
    const real = await Deno.realPath(join(files, "sub", "a.iasm"));
    assertEquals(await resolve("sub/a.iasm"), real);
    assertEquals(await resolve(join(files, "sub", "a.iasm")), real);
    for (const path of ["../secret", join(dir, "secret"), "link", "/etc/passwd"]) {
      await assertRejects(() => resolve(path), Error, "outside the directory SSH sessions may read");
    }
    await assertRejects(() => resolve("missing.iasm"), Error, "cannot read 'missing.iasm': no such file");
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
    assertStringIncludes(stolen.stdout, "outside the directory SSH sessions may read");
    assertEquals(stolen.stdout.includes("PRIVATE KEY"), false);
    const allowed = await ssh("!load_file seven.iasm");
    assertEquals([allowed.code, allowed.stdout], [0, "7\n"], allowed.stderr);
  } finally {
    await server?.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});
