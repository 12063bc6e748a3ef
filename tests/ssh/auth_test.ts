/**
 * The authentication decision (`decideAuth`), without a network: ssh2's context objects are built by hand,
 * with the session-id-prefixed blob ssh2 makes and signatures made by real keys.
 *
 * Mutations caught: the signature check removed from src/ssh/auth.ts (a client holding only an authorized
 * public key logs in) fails "refuses a valid signature by a different key" and "refuses a signature over
 * another session id"; the blob comparison removed fails "refuses a key that is not authorized"; the SHA-1
 * refusal removed fails "refuses ssh-rsa (SHA-1) signatures".
 */
import { join } from "node:path";
import { Buffer } from "node:buffer";
import ssh2 from "ssh2";
import { assertEquals } from "../assert.ts";
import { type AuthContext, type AuthDecision, AuthorizedKeysCache, decideAuth } from "../../src/ssh/auth.ts";
import { withTempDir } from "../support/temp_dir.ts";

interface Signer {
  publicLine: string;
  blob: Uint8Array;
  sign(data: Uint8Array, hash?: string): Uint8Array;
}

function makeKey(type: "ed25519" | "rsa", comment: string): Signer {
  const pair = ssh2.utils.generateKeyPairSync(type, type === "rsa" ? { bits: 2048, comment } : { comment });
  const parsed = ssh2.utils.parseKey(pair.private);
  if (parsed instanceof Error || Array.isArray(parsed)) throw new Error("cannot parse a generated key");
  return {
    publicLine: pair.public,
    blob: new Uint8Array(parsed.getPublicSSH()),
    sign: (data, hash) => new Uint8Array(parsed.sign(Buffer.from(data), hash)),
  };
}

/** The data a client signs: string session id, then the userauth request up to the signature. */
function signedData(sessionId: Uint8Array, algo: string, blob: Uint8Array): Uint8Array {
  const str = (bytes: Uint8Array) => {
    const out = new Uint8Array(4 + bytes.length);
    new DataView(out.buffer).setUint32(0, bytes.length);
    out.set(bytes, 4);
    return out;
  };
  const text = (s: string) => str(new TextEncoder().encode(s));
  const parts = [
    str(sessionId),
    new Uint8Array([50]),
    text("alice"),
    text("ssh-connection"),
    text("publickey"),
    new Uint8Array([1]),
    text(algo),
    str(blob),
  ];
  return new Uint8Array(parts.flatMap((p) => [...p]));
}

function context(fields: Partial<AuthContext>): AuthContext {
  return { method: "publickey", username: "alice", accept() {}, reject() {}, ...fields };
}

const SESSION = new Uint8Array(32).fill(7);
const OTHER_SESSION = new Uint8Array(32).fill(9);
const alice = makeKey("ed25519", "alice");
const mallory = makeKey("ed25519", "mallory");
const rsa = makeKey("rsa", "carol");

async function decide(fields: Partial<AuthContext>): Promise<AuthDecision> {
  return await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "authorized_keys"), `${alice.publicLine}\n${rsa.publicLine}\n`);
    return await decideAuth(context(fields), new AuthorizedKeysCache(dir));
  });
}

/** A real attempt by `signer` for the key `blob`, signed over `session`. */
function attempt(signer: Signer, algo: string, blob: Uint8Array, session: Uint8Array, hash?: string) {
  const keyType = algo.startsWith("rsa-") ? "ssh-rsa" : algo;
  return {
    key: { algo: keyType, data: blob },
    blob: signedData(SESSION, algo, blob),
    signature: signer.sign(signedData(session, algo, blob), hash),
    hashAlgo: hash,
  };
}

Deno.test("decideAuth() accepts an authorized key's valid signature over this session", async () => {
  const decision = await decide(attempt(alice, "ssh-ed25519", alice.blob, SESSION));
  assertEquals(decision.kind, "accepted");
});

Deno.test("decideAuth() accepts rsa-sha2-256 and rsa-sha2-512 signatures of an authorized RSA key", async () => {
  for (const [algo, hash] of [["rsa-sha2-256", "sha256"], ["rsa-sha2-512", "sha512"]]) {
    const decision = await decide(attempt(rsa, algo, rsa.blob, SESSION, hash));
    assertEquals(decision.kind, "accepted", algo);
  }
});

Deno.test("decideAuth() refuses a valid signature by a different key over an authorized key's blob", async () => {
  const decision = await decide(attempt(mallory, "ssh-ed25519", alice.blob, SESSION));
  assertEquals(decision.kind, "refused");
  assertEquals(decision.kind === "refused" && decision.reason, "bad signature");
});

Deno.test("decideAuth() refuses a signature over another session id", async () => {
  const decision = await decide(attempt(alice, "ssh-ed25519", alice.blob, OTHER_SESSION));
  assertEquals(decision.kind === "refused" && decision.reason, "bad signature");
});

Deno.test("decideAuth() refuses ssh-rsa (SHA-1) signatures, even valid ones", async () => {
  const decision = await decide(attempt(rsa, "ssh-rsa", rsa.blob, SESSION, undefined));
  assertEquals(decision.kind, "refused");
  assertEquals(decision.kind === "refused" && decision.reason, "ssh-rsa (SHA-1) signature");
  const query = await decide({ key: { algo: "ssh-rsa", data: rsa.blob } });
  assertEquals(query.kind, "refused");
});

Deno.test("decideAuth() refuses a key that is not authorized, even with its own valid signature", async () => {
  const decision = await decide(attempt(mallory, "ssh-ed25519", mallory.blob, SESSION));
  assertEquals(decision.kind === "refused" && decision.reason, "unknown key");
});

Deno.test("decideAuth() answers a query for an authorized key, and a `none` probe, without accepting", async () => {
  assertEquals((await decide({ key: { algo: "ssh-ed25519", data: alice.blob } })).kind, "query-ok");
  assertEquals((await decide({ method: "none" })).kind, "probe");
  for (const method of ["password", "keyboard-interactive", "hostbased"]) {
    assertEquals((await decide({ method })).kind, "refused", method);
  }
});
