/**
 * A subprocess for the crash-safety tests, killed with SIGKILL at random moments while it writes:
 *   keys ROOT PUB...      add then remove each public key file in turn, forever (authorized_keys)
 *   hostkey ROOT          make a host key in ROOT/0, ROOT/1, ... forever (first-start generation)
 *   history FILE          save a history one line longer each time, forever
 * It prints "ready" once its first write is done, so the kill lands among writes.
 */
import { join } from "node:path";
import { addAuthorizedKeyFile, removeAuthorizedKey } from "../../src/ssh/key_store.ts";
import { loadHostKey } from "../../src/ssh/host_key.ts";
import { saveHistory } from "../../src/repl/history_file.ts";

/** Entry `n` of the history the writer saves: version k holds entries 0..k. */
export function historyEntry(n: number): string {
  return `load $${n % 32} #${n} ; entry ${n}`;
}

const [mode, target, ...rest] = Deno.args;
const say = (text: string) => Deno.stdout.writeSync(new TextEncoder().encode(`${text}\n`));

if (mode === "keys") {
  for (let round = 0;; round++) {
    for (const [i, pub] of rest.entries()) {
      await addAuthorizedKeyFile(target, pub, `key${i}`);
      if (round === 0 && i === 0) say("ready");
    }
    for (const [i] of rest.entries()) await removeAuthorizedKey(target, `key${i}`);
  }
} else if (mode === "hostkey") {
  for (let n = 0;; n++) {
    try {
      await loadHostKey(join(target, String(n)));
    } catch (error) {
      // ssh2 sometimes generates an ed25519 key it cannot parse back (see the host key tests): go on.
      if (!String(error).includes("is damaged")) throw error;
    }
    if (n === 0) say("ready");
  }
} else if (mode === "history") {
  const entries: string[] = [];
  for (let n = 0;; n++) {
    entries.push(historyEntry(n));
    await saveHistory({ file: target, size: 1_000_000 }, entries);
    if (n === 0) say("ready");
  }
}
