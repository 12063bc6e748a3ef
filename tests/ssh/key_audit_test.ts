/**
 * `!add_ssh_key` over SSH is audited: which key added which, and refusals with their reason.
 *
 * Mutation checked: serving the shared addSshKey service unwrapped (no SshConnection.#addSshKey) leaves
 * the audit log without either line.
 */
import { join } from "node:path";
import { assertMatch, assertStringIncludes } from "../assert.ts";
import { generateKey } from "./_harness.ts";
import { withTargetServer } from "../ssh_attack/_server.ts";

Deno.test("!add_ssh_key over SSH writes who added which key, and refusals, to the audit log", async () => {
  const files = await Deno.makeTempDir({ prefix: "iridium_key_audit_" });
  try {
    await generateKey(files, "bob");
    await withTargetServer(["--ssh-files-dir", files], async (server) => {
      const added = await server.ssh("!add_ssh_key bob.pub");
      assertMatch(added.stdout, /^authorized 'bob@test': ssh-ed25519 SHA256:/);
      const refused = await server.ssh("!add_ssh_key bob.pub");
      assertStringIncludes(refused.stdout, "already authorized");
      await new Promise((resolve) => setTimeout(resolve, 300)); // the audit line is appended asynchronously
      const audit = await Deno.readTextFile(join(server.dataRoot, "audit.log"));
      assertMatch(
        audit,
        /key-added user=\S+ key=alice@test .*path=bob\.pub added="authorized 'bob@test': ssh-ed25519 SHA256:/,
      );
      assertMatch(
        audit,
        /key-add-refused user=\S+ key=alice@test .*path=bob\.pub reason=".*that key is already authorized/,
      );
    });
  } finally {
    await Deno.remove(files, { recursive: true });
  }
});
