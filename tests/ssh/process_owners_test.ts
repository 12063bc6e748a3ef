/**
 * Processes belong to the key that spawned them: `!ps` names that key, another key may not `!kill`,
 * `!output` or `!wait` them, each key has a quota of running + queued processes, and `!spawn` says when a
 * process waits for a thread. One daemon with one thread, `--ssh-max-processes 2`, keys alice and bob.
 *
 * Mutations checked: without the owner check in sessionProcesses (src/pool/session_processes.ts) bob's
 * `!kill 1` kills alice's process; without the quota check in WorkerPool.spawn alice's third spawn
 * starts; reporting every spawn as started loses the "queued process" line.
 */
import { join } from "node:path";
import { assertEquals, assertMatch } from "../assert.ts";
import { generateKey } from "./_harness.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { withTargetServer } from "../ssh_attack/_server.ts";

Deno.test("processes belong to their key: !ps names it, others may not stop them, quotas hold", async () => {
  const files = await Deno.makeTempDir({ prefix: "iridium_owner_files_" });
  try {
    await Deno.writeTextFile(join(files, "loop.iasm"), "top: jmp $31\n");
    const args = ["--threads", "1", "--ssh-max-processes", "2", "--ssh-files-dir", files];
    await withTargetServer(args, async (server) => {
      const bobKey = await generateKey(server.dir, "bob");
      const io = captureIo();
      const added = await runCli(["add-ssh-key", `${bobKey}.pub`, "--data-root-dir", server.dataRoot], io);
      assertEquals(added, 0, io.err);
      const alice = async (line: string) => (await server.ssh(line)).stdout;
      const bob = async (line: string) => (await server.ssh(line, bobKey)).stdout;

      assertEquals(await alice("!spawn loop.iasm"), "started process 1\n");
      assertEquals(
        await alice("!spawn loop.iasm"),
        "queued process 2: every thread is busy; it starts when one is free\n",
      );
      assertEquals(
        await alice("!spawn loop.iasm"),
        "error: too many processes: 'alice@test' has 2 running or queued (at most 2)\n",
      );
      for (const command of ["!kill 1", "!output 1", "!wait 2"]) {
        assertEquals(
          await bob(command),
          `permission denied: process ${command.slice(-1)} belongs to 'alice@test'\n`,
        );
      }
      assertMatch(await bob("!ps"), /\n1\s+running\s+\d+\s+\S+\s+alice@test\s+loop\.iasm\n/);
      assertEquals(
        await bob("!spawn loop.iasm"),
        "queued process 3: every thread is busy; it starts when one is free\n",
      );
      assertEquals(await alice("!kill 1"), "killed process 1\n");
      assertEquals(await alice("!kill 2"), "killed process 2\n");
      assertEquals(await bob("!kill 3"), "killed process 3\n");
      assertEquals(await alice("!spawn loop.iasm"), "started process 4\n");
    });
  } finally {
    await Deno.remove(files, { recursive: true });
  }
});
