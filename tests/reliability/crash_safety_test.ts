/**
 * Crash safety of the files Iridium rewrites: a writer subprocess (tests/reliability/_writer.ts) is
 * killed with SIGKILL at random moments, 20 times per file, and the file must be whole afterwards:
 * authorized_keys holds only complete key lines from a state the writer produced, a host key is
 * complete or absent (and the next start uses or makes one), a history is exactly some saved version.
 *
 * Mutations caught: a write that is not atomic (truncate then write in place) fails the kill tests; a
 * loadHostKey() that keeps a key ssh2 cannot read back fails the 400 first starts.
 */
import { join } from "node:path";
import ssh2 from "ssh2";
import { assert, assertEquals } from "../assert.ts";
import { Random } from "../../fuzz/random.ts";
import { generateUsableKeyPair } from "../../fuzz/ssh_keys.ts";
import { REPO_ROOT } from "../ssh/_harness.ts";
import { loadHostKey } from "../../src/ssh/host_key.ts";
import { parseAuthorizedKeys } from "../../src/ssh/key_store.ts";
import { historyEntry } from "./_writer.ts";
import { withTempDir } from "../support/temp_dir.ts";

const KILLS = 20;
const WRITER = join(REPO_ROOT, "tests", "reliability", "_writer.ts");

/** Starts the writer, waits for "ready", lets it write for a random 0..max ms, and SIGKILLs it. */
async function killMidWrite(args: string[], random: Random, maxMs: number): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WRITER, ...args],
    cwd: REPO_ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    const reader = child.stdout.getReader();
    let text = "";
    while (!text.includes("ready")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the writer ${args[0]} ended before it was ready`);
      text += new TextDecoder().decode(value);
    }
    reader.releaseLock();
    await new Promise((resolve) => setTimeout(resolve, random.int(maxMs)));
    child.kill("SIGKILL");
    const status = await child.status;
    assertEquals(status.signal, "SIGKILL", "the writer stopped before the kill");
  } finally {
    clearTimeout(guard);
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    await child.status;
    await child.stdout.cancel().catch(() => {});
  }
}

Deno.test("authorized_keys survives 20 SIGKILLs mid add/remove with only whole lines", async () => {
  await withTempDir(async (dir) => {
    const pubs: string[] = [];
    for (let i = 0; i < 4; i++) {
      const pair = generateUsableKeyPair(`k${i}`);
      pubs.push(join(dir, `k${i}.pub`));
      await Deno.writeTextFile(pubs[i], `${pair.public}\n`);
    }
    const root = join(dir, "data");
    const random = new Random(0xc4a5);
    let states = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      await Deno.remove(join(root, "authorized_keys")).catch(() => {});
      await killMidWrite(["keys", root, ...pubs], random, 400);
      const text = await Deno.readTextFile(join(root, "authorized_keys"));
      const lines = text.split("\n");
      assertEquals(
        lines.pop(),
        "",
        `kill ${kill}: the file does not end with a newline: ${JSON.stringify(text)}`,
      );
      const keys = parseAuthorizedKeys(text);
      assertEquals(keys.length, lines.length, `kill ${kill}: a line is not a key: ${JSON.stringify(text)}`);
      // Every state the writer passes through: keys added in order (0..n), or removed in order (n..3).
      const names = keys.map((k) => k.name).join(",");
      const valid = [0, 1, 2, 3, 4].flatMap((n) => [
        ["key0", "key1", "key2", "key3"].slice(0, n).join(","),
        ["key0", "key1", "key2", "key3"].slice(n).join(","),
      ]);
      assert(valid.includes(names), `kill ${kill}: keys ${names} are no state the writer made`);
      states++;
    }
    const leftovers = [...Deno.readDirSync(root)].filter((e) => e.name.endsWith(".tmp")).length;
    console.log(`authorized_keys: ${states} kills, every file whole (${leftovers} temp files left behind)`);
  });
});

const PEM_END = "-----END OPENSSH PRIVATE KEY-----\n";

Deno.test("a host key killed mid-generation is whole or absent, and the next start uses or makes one", async () => {
  await withTempDir(async (dir) => {
    const random = new Random(0x4057);
    let complete = 0, absent = 0, unparsable = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const root = join(dir, String(kill));
      await killMidWrite(["hostkey", root], random, 300);
      for (const entry of Deno.readDirSync(root)) {
        if (!entry.isDirectory) continue;
        const keyDir = join(root, entry.name);
        const text = await Deno.readTextFile(join(keyDir, "ssh_host_ed25519_key")).catch(() => null);
        if (text === null) {
          absent++;
        } else {
          assert(
            text.startsWith("-----BEGIN") && text.endsWith(PEM_END),
            `kill ${kill}: half a key in ${keyDir}`,
          );
          if (ssh2.utils.parseKey(text) instanceof Error) {
            unparsable++; // whole, but one of ssh2's unparsable keys: see the generation test below
            continue;
          }
          complete++;
        }
        const loaded = await loadHostKey(keyDir); // the next start
        if (text !== null) assertEquals(loaded.privateKey, text, "a complete key was not reused");
        const pub = await Deno.readTextFile(join(keyDir, "ssh_host_ed25519_key.pub"));
        assertEquals(pub, `${loaded.publicLine} iridium host key\n`);
      }
    }
    console.log(
      `host key: ${KILLS} kills, ${complete} keys whole, ${absent} absent, 0 half-written` +
        ` (${unparsable} whole but unparsable: ssh2's generation bug)`,
    );
  });
});

Deno.test("loadHostKey() makes a usable key on every first start (ssh2 sometimes generates an unreadable one)", async () => {
  // About 1 key in 128 from ssh2's generator does not parse back: 400 first starts meet one with a
  // probability of about 96%, so a loadHostKey() that stops generating again until the key reads back fails.
  await withTempDir(async (dir) => {
    const fingerprints = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const root = join(dir, String(i));
      const key = await loadHostKey(root);
      const parsed = ssh2.utils.parseKey(key.privateKey);
      assert(!(parsed instanceof Error) && !Array.isArray(parsed), `key ${i} does not parse`);
      assertEquals(`${parsed.type} ${parsed.getPublicSSH().toString("base64")}`, key.publicLine, `key ${i}`);
      assertEquals((await loadHostKey(root)).fingerprint, key.fingerprint, `key ${i} is not reused`);
      fingerprints.add(key.fingerprint);
    }
    assertEquals(fingerprints.size, 400);
  });
});

Deno.test("a history file killed mid-save is exactly one saved version", async () => {
  await withTempDir(async (dir) => {
    const random = new Random(0x4157);
    const file = join(dir, "history");
    for (let kill = 0; kill < KILLS; kill++) {
      await Deno.remove(file).catch(() => {});
      await killMidWrite(["history", file], random, 300);
      const text = await Deno.readTextFile(file);
      const lines = text.split("\n");
      assertEquals(lines.pop(), "", `kill ${kill}: the history does not end with a newline`);
      assertEquals(lines, lines.map((_, n) => historyEntry(n)), `kill ${kill}: not a saved version`);
    }
    console.log(`history: ${KILLS} kills, every file a saved version`);
  });
});
