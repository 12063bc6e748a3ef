/**
 * 1,000 authentication attempts against the real server: random wrong ed25519 keys, passwords,
 * keyboard-interactive answers and `none`, from ssh2's client, 24 connections at a time. None is
 * accepted, every refusal is audited, and the authorized user still gets in with OpenSSH afterwards.
 */
import ssh2 from "ssh2";
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
  await withTargetServer([], async (server) => {
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
    // `none` is OpenSSH's opening probe: refused without an audit line; every other attempt is logged.
    assert(refusals > ATTEMPTS / 2, `only ${refusals} refusals logged`);
    const after = await server.ssh("load $1 #7\nprti $1");
    assertEquals([after.code, after.stdout], [0, "7\n"], after.stderr);
    console.log(`auth flood: ${offered} attempts, 0 accepted, ${refusals} refusals logged`);
  });
});
