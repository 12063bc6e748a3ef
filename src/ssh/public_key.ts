/**
 * One OpenSSH public key line (`type base64 [comment]`): parsing, validation and the SHA256 fingerprint
 * that `ssh-keygen -lf` prints. Signatures are ssh2's business; this file only reads the wire-format blob
 * (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4) to check its shape and count RSA modulus bits.
 */
import { createHash } from "node:crypto";
import { Buffer } from "node:buffer";

/** Key types accepted for login, with the key-size rule each follows. */
export const ACCEPTED_KEY_TYPES = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "ssh-rsa",
] as const;

/** Shortest RSA modulus accepted: 2048 bits, the floor NIST SP 800-131A and OpenSSH 9 set. */
export const MIN_RSA_BITS = 2048;

/** A public key read from a line: its type, wire-format blob, comment, fingerprint and size in bits. */
export interface PublicKey {
  type: string;
  blob: Uint8Array;
  comment: string;
  fingerprint: string;
  bits: number;
}

/** A public key that cannot be used; the message is one line, fit for the CLI and the REPL. */
export class PublicKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PublicKeyError";
  }
}

/** Bytes of each ECDSA curve's uncompressed point (0x04 || X || Y), and its key size in bits. */
const ECDSA_CURVES: Record<string, { point: number; bits: number }> = {
  nistp256: { point: 65, bits: 256 },
  nistp384: { point: 97, bits: 384 },
  nistp521: { point: 133, bits: 521 },
};

/** The `SHA256:base64-without-padding` fingerprint of a key blob, as `ssh-keygen -lf` prints it. */
export function fingerprintOf(blob: Uint8Array): string {
  const digest = createHash("sha256").update(blob).digest("base64");
  return `SHA256:${digest.replace(/=+$/, "")}`;
}

/** Reads SSH wire strings (uint32 length, then bytes) from a blob; throws on a truncated one. */
class BlobReader {
  #bytes: Uint8Array;
  #at = 0;
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }
  string(): Uint8Array {
    if (this.#at + 4 > this.#bytes.length) throw new PublicKeyError("the key data is truncated");
    const view = new DataView(this.#bytes.buffer, this.#bytes.byteOffset + this.#at, 4);
    const length = view.getUint32(0);
    const start = this.#at + 4;
    if (start + length > this.#bytes.length) throw new PublicKeyError("the key data is truncated");
    this.#at = start + length;
    return this.#bytes.subarray(start, this.#at);
  }
  text(): string {
    return new TextDecoder().decode(this.string());
  }
  end(): void {
    if (this.#at !== this.#bytes.length) throw new PublicKeyError("the key data has trailing bytes");
  }
}

/** Bits of an mpint (two's complement, big-endian): the position of the highest set bit. */
function mpintBits(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]));
}

/** Checks a blob's structure against its type; returns the key size in bits. */
function checkBlob(type: string, blob: Uint8Array): number {
  const reader = new BlobReader(blob);
  const inner = reader.text();
  if (inner !== type) throw new PublicKeyError(`the key data says '${inner}' but the line says '${type}'`);
  let bits: number;
  if (type === "ssh-ed25519") {
    if (reader.string().length !== 32) throw new PublicKeyError("an ed25519 key must be 32 bytes");
    bits = 256;
  } else if (type === "ssh-rsa") {
    const exponent = reader.string();
    const modulus = reader.string();
    if (mpintBits(exponent) === 0) throw new PublicKeyError("the RSA exponent is zero");
    bits = mpintBits(modulus);
    if (bits < MIN_RSA_BITS) {
      throw new PublicKeyError(`the RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are required`);
    }
  } else {
    const curveName = type.slice("ecdsa-sha2-".length);
    const curve = ECDSA_CURVES[curveName];
    if (reader.text() !== curveName) throw new PublicKeyError(`the ECDSA key is not on curve ${curveName}`);
    const point = reader.string();
    if (point.length !== curve.point || point[0] !== 4) {
      throw new PublicKeyError(`the ECDSA point has the wrong size for ${curveName}`);
    }
    bits = curve.bits;
  }
  reader.end();
  return bits;
}

/** Decodes strict base64 (the alphabet and padding OpenSSH writes); null if it is anything else. */
function decodeBase64(text: string): Uint8Array | null {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** Parses one `type base64 [comment]` line; throws PublicKeyError saying what is wrong. */
export function parsePublicKeyLine(line: string): PublicKey {
  const match = /^\s*(\S+)\s+(\S+)(?:\s+(.*?))?\s*$/.exec(line);
  const type = match?.[1] ?? line.trim().split(/\s+/)[0];
  if (!(ACCEPTED_KEY_TYPES as readonly string[]).includes(type)) {
    const printable = type.replace(/[^\x20-\x7e]/g, "?");
    const shown = printable.length > 40 ? `${printable.slice(0, 40)}...` : printable;
    throw new PublicKeyError(
      `not an OpenSSH public key of a supported type (found '${shown}'; expected ${
        ACCEPTED_KEY_TYPES.join(", ")
      })`,
    );
  }
  const blob = match ? decodeBase64(match[2]) : null;
  if (!blob) throw new PublicKeyError(`the ${type} key data is not valid base64`);
  const bits = checkBlob(type, blob);
  return { type, blob, comment: match?.[3] ?? "", fingerprint: fingerprintOf(blob), bits };
}

/**
 * Parses the text of a `.pub` file: exactly one public key line (blank lines and `#` comments aside).
 * Refuses a private key, an empty file and several keys with a message that says so.
 */
export function parsePublicKeyFile(text: string): PublicKey {
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text) || /^PuTTY-User-Key-File-/m.test(text)) {
    throw new PublicKeyError("that is a private key; give the .pub file");
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
  if (lines.length === 0) throw new PublicKeyError("the file is empty; expected one OpenSSH public key line");
  const key = parsePublicKeyLine(lines[0]); // garbage is reported as such, not as "several lines"
  if (lines.length > 1) {
    throw new PublicKeyError(`expected exactly one public key line, found ${lines.length} lines`);
  }
  return key;
}
