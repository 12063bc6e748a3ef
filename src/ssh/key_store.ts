/**
 * The authorized keys of the SSH server: `authorized_keys` in the data root, one `[options] type base64
 * name` line per key (OpenSSH's format, so `ssh-keygen -lf` reads it too); the options hold the key's
 * role and applications (src/access/key_options.ts). Every change rewrites the file atomically.
 */
import { join } from "node:path";
import ssh2 from "ssh2";
import { writeFileAtomic } from "../util/atomic_file.ts";
import { ADMIN, type Grant } from "../access/grant.ts";
import {
  checkGrant,
  formatKeyOptions,
  KeyOptionsError,
  parseKeyOptions,
  splitKeyLine,
} from "../access/key_options.ts";
import {
  ACCEPTED_KEY_TYPES,
  parsePublicKeyFile,
  parsePublicKeyLine,
  type PublicKey,
  PublicKeyError,
} from "./public_key.ts";
import { isOsError, osErrorReason } from "../util/os_error.ts";

/** File name of the authorized keys inside the data root. */
export const AUTHORIZED_KEYS_FILE = "authorized_keys";

/** An authorized key: a public key with the name it is listed under and what it may do. */
export interface AuthorizedKey extends PublicKey {
  name: string;
  /** The key part of its line, `type base64 name` (what ssh2 parses). */
  line: string;
  /** The line as stored, options included. */
  stored: string;
  /** Its role and applications. */
  grant: Grant;
}

/** A key operation that failed for a reason the user can fix; the message is one line. */
export class KeyStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyStoreError";
  }
}

/** The line that reports an authorized key, e.g. `authorized 'laptop': ssh-ed25519 SHA256:...`. */
export function describeKey(verb: string, key: AuthorizedKey): string {
  return `${verb} '${key.name}': ${key.type} ${key.fingerprint}`;
}

/** Path of the authorized keys file of a data root. */
export function authorizedKeysPath(dataRoot: string): string {
  return join(dataRoot, AUTHORIZED_KEYS_FILE);
}

/** A line of authorized_keys that holds no usable key: its 1-based number and why. */
export interface SkippedLine {
  line: number;
  reason: string;
}

/**
 * Parses the text of an authorized_keys file; lines that are not a usable key, or whose options are not
 * understood (they fail closed), are skipped, and told to `onSkip` when given (blank lines and `#`
 * comments are not skipped lines).
 */
export function parseAuthorizedKeys(text: string, onSkip?: (skipped: SkippedLine) => void): AuthorizedKey[] {
  const keys: AuthorizedKey[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const stored = raw.trim();
    if (stored === "" || stored.startsWith("#")) continue;
    try {
      const { options, key: line } = splitKeyLine(stored, ACCEPTED_KEY_TYPES);
      const grant = parseKeyOptions(options);
      const key = parsePublicKeyLine(line);
      keys.push({ ...key, name: key.comment || key.fingerprint, line, stored, grant });
    } catch (error) {
      if (!(error instanceof PublicKeyError) && !(error instanceof KeyOptionsError)) throw error;
      onSkip?.({ line: index + 1, reason: error.message });
    }
  }
  return keys;
}

async function readAuthorizedKeysText(dataRoot: string): Promise<string> {
  try {
    return await Deno.readTextFile(authorizedKeysPath(dataRoot));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "";
    throw error;
  }
}

/** The authorized keys of a data root; none when the file does not exist yet. */
export async function listAuthorizedKeys(
  dataRoot: string,
  onSkip?: (skipped: SkippedLine) => void,
): Promise<AuthorizedKey[]> {
  return parseAuthorizedKeys(await readAuthorizedKeysText(dataRoot), onSkip);
}

function blobBase64(blob: Uint8Array): string {
  let binary = "";
  for (const byte of blob) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "") throw new KeyStoreError("a key name cannot be empty");
  if ([...trimmed].some((c) => c < " " || c === "\x7f")) {
    throw new KeyStoreError("a key name cannot hold control characters");
  }
  if (trimmed.startsWith("#")) throw new KeyStoreError("a key name cannot start with '#'");
  return trimmed;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * Authorizes the public key in `text` (the content of a `.pub` file) under `name`, else its comment, else
 * its fingerprint. Refuses a duplicate key or name. Resolves to the key as stored.
 */
export async function addAuthorizedKey(
  dataRoot: string,
  text: string,
  name?: string,
  grant: Grant = ADMIN,
): Promise<AuthorizedKey> {
  checkGrantForStore(grant);
  let key: PublicKey;
  try {
    key = parsePublicKeyFile(text);
  } catch (error) {
    if (error instanceof PublicKeyError) throw new KeyStoreError(error.message);
    throw error;
  }
  const keyName = checkName(name || key.comment || key.fingerprint);
  const line = `${key.type} ${blobBase64(key.blob)} ${keyName}`;
  if (ssh2.utils.parseKey(line) instanceof Error) {
    throw new KeyStoreError(`the ${key.type} key cannot be used for signatures`);
  }
  const existing = await readAuthorizedKeysText(dataRoot);
  const keys = parseAuthorizedKeys(existing);
  const sameKey = keys.find((k) => sameBytes(k.blob, key.blob));
  if (sameKey) throw new KeyStoreError(`that key is already authorized as '${sameKey.name}'`);
  if (keys.some((k) => k.name === keyName)) {
    throw new KeyStoreError(`a key named '${keyName}' is already authorized; choose another with --name`);
  }
  const stored = storedLine(grant, line);
  const added: AuthorizedKey = { ...key, comment: keyName, name: keyName, line, stored, grant };
  const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
  await writeFileAtomic(authorizedKeysPath(dataRoot), `${existing}${separator}${stored}\n`);
  return added;
}

/** Authorizes the public key in the file at `path` (see addAuthorizedKey). */
export async function addAuthorizedKeyFile(
  dataRoot: string,
  path: string,
  name?: string,
  grant: Grant = ADMIN,
): Promise<AuthorizedKey> {
  let text: string;
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) throw new KeyStoreError(`'${path}' is not a file`);
    // A public key line is well under 2 KiB (RSA 16384 is ~2.8 KiB); anything far larger is not one.
    if (info.size > 64 * 1024) throw new KeyStoreError(`'${path}' is too large to be a public key`);
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (isOsError(error)) throw new KeyStoreError(`cannot read '${path}': ${osErrorReason(error, path)}`);
    throw error;
  }
  try {
    return await addAuthorizedKey(dataRoot, text, name, grant);
  } catch (error) {
    if (error instanceof KeyStoreError) throw new KeyStoreError(`${path}: ${error.message}`);
    throw error;
  }
}

function storedLine(grant: Grant, line: string): string {
  const options = formatKeyOptions(grant);
  return options === "" ? line : `${options} ${line}`;
}

function checkGrantForStore(grant: Grant): void {
  try {
    checkGrant(grant);
  } catch (error) {
    if (error instanceof KeyOptionsError) throw new KeyStoreError(error.message);
    throw error;
  }
}

/** The key listed under `nameOrFingerprint` (a name, or `SHA256:...`) in `text`. */
function findKey(text: string, nameOrFingerprint: string): AuthorizedKey {
  const keys = parseAuthorizedKeys(text);
  const wanted = nameOrFingerprint.trim();
  const byName = keys.filter((k) => k.name === wanted);
  const matches = byName.length > 0 ? byName : keys.filter((k) => k.fingerprint === wanted);
  if (matches.length === 0) {
    throw new KeyStoreError(
      `no authorized key named or with fingerprint '${wanted}' (see 'iridium list-ssh-keys')`,
    );
  }
  return matches[0];
}

/** Rewrites `text` with the line of `key` replaced by `replacement` (none: removed); others kept as they are. */
async function replaceLine(dataRoot: string, text: string, key: AuthorizedKey, replacement?: string) {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const kept = lines.flatMap((l) =>
    l.trim() !== key.stored ? [l] : replacement === undefined ? [] : [replacement]
  );
  await writeFileAtomic(authorizedKeysPath(dataRoot), kept.map((l) => `${l}\n`).join(""));
}

/** Removes the key listed under `nameOrFingerprint` (a name, or `SHA256:...`); resolves to it. */
export async function removeAuthorizedKey(
  dataRoot: string,
  nameOrFingerprint: string,
): Promise<AuthorizedKey> {
  const text = await readAuthorizedKeysText(dataRoot);
  const removed = findKey(text, nameOrFingerprint);
  await replaceLine(dataRoot, text, removed);
  return removed;
}

/** Gives the key listed under `nameOrFingerprint` a new role and applications; resolves to it, changed. */
export async function grantAuthorizedKey(
  dataRoot: string,
  nameOrFingerprint: string,
  grant: Grant,
): Promise<AuthorizedKey> {
  checkGrantForStore(grant);
  const text = await readAuthorizedKeysText(dataRoot);
  const key = findKey(text, nameOrFingerprint);
  const stored = storedLine(grant, key.line);
  await replaceLine(dataRoot, text, key, stored);
  return { ...key, stored, grant };
}
