import { assertEquals, assertThrows } from "../assert.ts";
import { generateKey, makeTempDir, run } from "./_harness.ts";
import {
  fingerprintOf,
  parsePublicKeyFile,
  parsePublicKeyLine,
  PublicKeyError,
} from "../../src/ssh/public_key.ts";

const KEY_KINDS: [string, number | undefined, number][] = [
  ["ed25519", undefined, 256],
  ["ecdsa", 256, 256],
  ["ecdsa", 384, 384],
  ["ecdsa", 521, 521],
  ["rsa", 2048, 2048],
  ["rsa", 3072, 3072],
];

Deno.test("parsePublicKeyFile() reads every accepted type with the fingerprint and size ssh-keygen -lf prints", async () => {
  const dir = await makeTempDir();
  try {
    for (const [type, bits, expectedBits] of KEY_KINDS) {
      const path = await generateKey(dir, `${type}${bits ?? ""}`, type, bits);
      const key = parsePublicKeyFile(await Deno.readTextFile(`${path}.pub`));
      const listed = (await run("ssh-keygen", ["-lf", `${path}.pub`])).stdout.trim().split(" ");
      assertEquals(key.fingerprint, listed[1], `${type} ${bits}`);
      assertEquals(key.bits, Number(listed[0]));
      assertEquals(key.bits, expectedBits);
      assertEquals(key.comment, `${type}${bits ?? ""}@test`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parsePublicKeyFile() refuses private keys, empty files, garbage and several keys", async () => {
  const dir = await makeTempDir();
  try {
    const path = await generateKey(dir, "k");
    const line = await Deno.readTextFile(`${path}.pub`);
    assertThrows(
      () => parsePublicKeyFile(Deno.readTextFileSync(path)),
      PublicKeyError,
      "that is a private key",
    );
    assertThrows(() => parsePublicKeyFile(""), PublicKeyError, "the file is empty");
    assertThrows(() => parsePublicKeyFile("\n  \n# only a comment\n"), PublicKeyError, "the file is empty");
    assertThrows(() => parsePublicKeyFile("hello world\n"), PublicKeyError, "found 'hello'");
    assertThrows(
      () => parsePublicKeyFile("\x00\x01\x02garbage"),
      PublicKeyError,
      "not an OpenSSH public key",
    );
    assertThrows(() => parsePublicKeyFile(`${line}${line}`), PublicKeyError, "found 2 lines");
    assertThrows(() => parsePublicKeyFile("ssh-ed25519 !!!not-base64 x"), PublicKeyError, "not valid base64");
    assertThrows(() => parsePublicKeyFile("ssh-dss AAAAB3NzaC1kc3MAAACBAP== x"), PublicKeyError, "ssh-dss");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parsePublicKeyLine() refuses RSA under 2048 bits and blobs that do not match their type", async () => {
  const dir = await makeTempDir();
  try {
    const rsa = await generateKey(dir, "rsa1024", "rsa", 1024);
    const text = await Deno.readTextFile(`${rsa}.pub`);
    assertThrows(() => parsePublicKeyLine(text), PublicKeyError, "the RSA key has 1024 bits; at least 2048");
    const ed = (await Deno.readTextFile(`${await generateKey(dir, "ed")}.pub`)).split(" ");
    assertThrows(() => parsePublicKeyLine(`ssh-rsa ${ed[1]}`), PublicKeyError, "says 'ssh-ed25519'");
    const truncated = btoa(atob(ed[1]).slice(0, 30));
    assertThrows(() => parsePublicKeyLine(`ssh-ed25519 ${truncated}`), PublicKeyError, "truncated");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fingerprintOf() is SHA256 in base64 without padding", () => {
  // sha256("") = e3b0c442...; its base64 is 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
  assertEquals(fingerprintOf(new Uint8Array()), "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU");
});
