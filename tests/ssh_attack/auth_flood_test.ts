/**
 * 1,000 authentication attempts against the real server: random wrong ed25519 keys, passwords,
 * keyboard-interactive answers and `none`, from ssh2's client, 24 connections at a time. None is
 * accepted, refusals are audited within the per-source line budget (src/ssh/log_budget.ts), and the
 * authorized user still gets in with OpenSSH afterwards. Clients with 32 KB user names write short lines.
 *
 * Mutations checked: without the budget (LogBudget.allow always true) the first test logs hundreds of
 * refusals; without the cut of long values (MAX_FIELD_LENGTH) the second logs megabytes.
 */
import ssh2 from "ssh2";
import { LOG_LINES_PER_WINDOW } from "../../src/ssh/log_budget.ts";
import { assert, assertEquals } from "../assert.ts";
import { Random } from "../../fuzz/random.ts";
import { generateUsableKeyPair } from "../../fuzz/ssh_keys.ts";
import { inBatches, withTargetServer } from "./_server.ts";

/** Attempts in all, and per connection (the server closes a connection after 6 failures). */
const ATTEMPTS = 1_000;
const PER_CONNECTION = 6;
const PARALLEL = 24;

type AuthMethod = Record<string, unknown> & { type: string };

/** What one connection offered and how it ended. */
interface ConnectionResult {
  offered: number;
  accepted: boolean;
}

function randomMethod(random: Random, username: string): AuthMethod {
  switch (random.int(4)) {
    case 0: {
      const pair = generateUsableKeyPair();
      return { type: "publickey", username, key: pair.private };
    }
    case 1:
      return { type: "password", username, password: random.pick(["", "alice", "hunter2", "x".repeat(300)]) };
    case 2:
      return {
        type: "keyboard-interactive",
        username,
        prompt: (_n: string, _i: string, _l: string, prompts: unknown[], finish: (a: string[]) => void) =>
          finish(prompts.map(() => "guess")),
      };
    default:
      return { type: "none", username };
  }
}

/** One connection offering `count` attempts in turn; resolves once the server refuses the last or closes. */
function attack(port: number, random: Random, count: number): Promise<ConnectionResult> {
  const username = random.pick(["alice", "root", "tester", "nobody", "a".repeat(200)]);
  const methods = Array.from({ length: count }, () => randomMethod(random, username));
  const result: ConnectionResult = { offered: 0, accepted: false };
  const client = new ssh2.Client();
  return new Promise((resolve) => {
    const timer = setTimeout(() => client.end(), 60_000);
    const done = () => {
      clearTimeout(timer);
      resolve(result);
    };
    client.on("ready", () => {
      result.accepted = true;
      client.end();
    });
    client.on("error", () => {});
    client.on("close", done);
    client.connect({
      host: "127.0.0.1",
      port,
      username,
      hostVerifier: () => true,
      readyTimeout: 60_000,
      authHandler: (_left: unknown, _partial: unknown, next: (method: AuthMethod | false) => void) => {
        const method = methods.shift();
        if (method) result.offered++;
        next(method ?? false);
      },
    });
  });
}

Deno.test("1,000 wrong keys, passwords, keyboard-interactive and none are all refused; alice still gets in", async () => {
  // 24 connections at once from one address: the unauthenticated stage must hold them all.
  await withTargetServer(
    ["--ssh-max-startups", "32:30:100", "--ssh-max-startups-per-source", "32"],
    async (server) => {
      const connections = Math.ceil(ATTEMPTS / PER_CONNECTION);
      const results = await inBatches(connections, PARALLEL, (i) => {
        const count = Math.min(PER_CONNECTION, ATTEMPTS - i * PER_CONNECTION);
        return attack(server.port, new Random(0xa77ac4 + i), count);
      });
      const offered = results.reduce((sum, r) => sum + r.offered, 0);
      assertEquals(offered, ATTEMPTS);
      assertEquals(results.filter((r) => r.accepted).length, 0);
      assert(server.isAlive());
      assertEquals(/\blogin\b/.test(server.stderr), false, "a login was logged during the attack");
      const refusals = server.stderr.match(/\brefused\b/g)?.length ?? 0;
      // One source: its first LOG_LINES_PER_WINDOW lines are written, the rest summed up when the minute ends.
      assertEquals(refusals, LOG_LINES_PER_WINDOW, "refusals logged from one source in a minute");
      const after = await server.ssh("load $1 #7\nprti $1");
      assertEquals([after.code, after.stdout], [0, "7\n"], after.stderr);
      console.log(`auth flood: ${offered} attempts, 0 accepted, ${refusals} refusals logged`);
    },
  );
});

Deno.test("40 clients with 32 KB user names write a bounded log", async () => {
  await withTargetServer([], async (server) => {
    const before = server.stderr.length;
    await inBatches(40, 20, (i) =>
      new Promise<void>((resolve) => {
        const client = new ssh2.Client();
        const timer = setTimeout(() => client.end(), 30_000);
        client.on("error", () => {});
        client.on("close", () => {
          clearTimeout(timer);
          resolve();
        });
        client.connect({
          host: "127.0.0.1",
          port: server.port,
          username: String.fromCharCode(97 + i % 26).repeat(32 * 1024),
          password: "wrong",
          hostVerifier: () => true,
          readyTimeout: 30_000,
        });
      }));
    await server.ssh("prti $0");
    const written = server.stderr.length - before;
    // Generous: 40 connections at a few short lines each; uncut, each line carried 32 KB (over 2.5 MB).
    assert(written < 64 * 1024, `the log grew by ${written} bytes`);
  });
});
