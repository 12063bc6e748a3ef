/**
 * Public-key authentication. A key is accepted only when its blob is in authorized_keys (compared in
 * constant time) and, for the real attempt, its signature verifies. Every other method is refused.
 */
import { timingSafeEqual } from "node:crypto";
import { Buffer } from "node:buffer";
import ssh2 from "ssh2";
import { type AuthorizedKey, authorizedKeysPath, parseAuthorizedKeys } from "./key_store.ts";
import { fingerprintOf } from "./public_key.ts";

/** Failed attempts allowed per connection before it is closed (OpenSSH's MaxAuthTries default). */
export const MAX_AUTH_ATTEMPTS = 6;
/** Pause before answering a failed attempt, to slow down guessing (OpenSSH waits a similar time). */
export const AUTH_FAILURE_DELAY_MS = 300;

/** The authorized keys, reread whenever the file's modification time or size changes. */
export class AuthorizedKeysCache {
  #path: string;
  #stamp = "";
  #keys: AuthorizedKey[] = [];

  constructor(dataRoot: string) {
    this.#path = authorizedKeysPath(dataRoot);
  }

  /** The current keys; a stat per call, a read only after a change (the file is rewritten by rename). */
  async keys(): Promise<AuthorizedKey[]> {
    let stamp: string;
    try {
      const info = await Deno.stat(this.#path);
      stamp = `${info.mtime?.getTime()}:${info.size}:${info.ino ?? ""}`;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      this.#stamp = "";
      this.#keys = [];
      return this.#keys;
    }
    if (stamp !== this.#stamp) {
      this.#keys = parseAuthorizedKeys(await Deno.readTextFile(this.#path));
      this.#stamp = stamp;
    }
    return this.#keys;
  }
}

/** Finds the authorized key with this type and blob, comparing every key's blob in constant time. */
export function findAuthorizedKey(
  keys: AuthorizedKey[],
  type: string,
  blob: Uint8Array,
): AuthorizedKey | null {
  let found: AuthorizedKey | null = null;
  const offered = Buffer.from(blob);
  for (const key of keys) {
    if (key.blob.length !== offered.length) continue;
    const same = timingSafeEqual(Buffer.from(key.blob), offered);
    if (same && key.type === type && found === null) found = key;
  }
  return found;
}

/** What ssh2 hands the 'authentication' listener (the fields used here). */
export interface AuthContext {
  method: string;
  username: string;
  key?: { algo: string; data: Uint8Array };
  signature?: Uint8Array;
  blob?: Uint8Array;
  hashAlgo?: string;
  accept(): void;
  reject(methods?: string[], isPartial?: boolean): void;
}

/** The outcome of one attempt, for the audit log and the attempt count. */
export type AuthDecision =
  | { kind: "accepted"; key: AuthorizedKey }
  | { kind: "query-ok"; key: AuthorizedKey }
  | { kind: "probe" }
  | { kind: "refused"; reason: string; fingerprint?: string };

/** Decides one attempt without answering it; the caller accepts, delays or rejects. */
export async function decideAuth(ctx: AuthContext, cache: AuthorizedKeysCache): Promise<AuthDecision> {
  // OpenSSH always opens with `none` to learn the allowed methods: not an attempt, not worth a log line.
  if (ctx.method === "none") return { kind: "probe" };
  if (ctx.method !== "publickey" || !ctx.key) return { kind: "refused", reason: `method ${ctx.method}` };
  const fingerprint = fingerprintOf(ctx.key.data);
  // ssh2 names an RSA attempt `ssh-rsa` with no hash only for SHA-1 signatures (rsa-sha2-* carry theirs);
  // DSA signatures are SHA-1 always.
  if ((ctx.key.algo === "ssh-rsa" && !ctx.hashAlgo) || ctx.key.algo === "ssh-dss") {
    return { kind: "refused", reason: `${ctx.key.algo} (SHA-1) signature`, fingerprint };
  }
  const key = findAuthorizedKey(await cache.keys(), ctx.key.algo, ctx.key.data);
  if (!key) return { kind: "refused", reason: "unknown key", fingerprint };
  if (!ctx.signature || !ctx.blob) return { kind: "query-ok", key };
  const parsed = ssh2.utils.parseKey(key.line);
  const verified = !(parsed instanceof Error) && !Array.isArray(parsed) &&
    parsed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true;
  return verified ? { kind: "accepted", key } : { kind: "refused", reason: "bad signature", fingerprint };
}
