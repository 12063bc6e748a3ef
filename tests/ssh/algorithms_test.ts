/**
 * Only modern algorithms, and only what works: OpenSSH logs in with its defaults and with `-C`; group
 * exchange, SHA-1 MACs and SHA-1 user signatures are refused.
 *
 * Mutations checked: without `algorithms` in the ssh2 server (its defaults) the group-exchange and
 * hmac-sha1 logins succeed and `ssh -C` hangs; without the SHA-1 check in decideAuth the `ssh-rsa`
 * login succeeds.
 */
import { join } from "node:path";
import { assertEquals, assertMatch } from "../assert.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { generateKey, run } from "./_harness.ts";
import { withTargetServer } from "../ssh_attack/_server.ts";

Deno.test("OpenSSH logs in with its defaults and -C; group exchange, hmac-sha1 and ssh-rsa are refused", async () => {
  await withTargetServer([], async (server) => {
    const login = (options: string[], identity = server.key) =>
      run("ssh", [...options, ...server.sshArgs(identity), "127.0.0.1", "prti $0"], { timeoutMs: 20_000 });
    const plain = await login([]);
    assertEquals([plain.code, plain.stdout], [0, "0\n"], plain.stderr);
    const compressed = await login(["-C"]);
    assertEquals([compressed.code, compressed.stdout], [0, "0\n"], compressed.stderr);

    const gex = await login(["-o", "KexAlgorithms=diffie-hellman-group-exchange-sha256"]);
    assertEquals(gex.code, 255);
    assertMatch(gex.stderr, /no matching key exchange method/);
    const sha1Mac = await login(["-o", "MACs=hmac-sha1", "-o", "Ciphers=aes128-ctr"]);
    assertEquals(sha1Mac.code, 255);
    assertMatch(sha1Mac.stderr, /no matching MAC/);

    const rsa = await generateKey(server.dir, "rsa_user", "rsa", 3072);
    const io = captureIo();
    assertEquals(
      await runCli(["add-ssh-key", `${rsa}.pub`, "--data-root-dir", server.dataRoot], io),
      0,
      io.err,
    );
    const sha2 = await login([], rsa);
    assertEquals([sha2.code, sha2.stdout], [0, "0\n"], sha2.stderr);
    const sha1 = await login(["-o", "PubkeyAcceptedAlgorithms=ssh-rsa"], rsa);
    assertEquals(sha1.code, 255, sha1.stderr);
    assertMatch(
      await Deno.readTextFile(join(server.dataRoot, "audit.log")),
      /reason="ssh-rsa \(SHA-1\) signature"/,
    );
  });
});
