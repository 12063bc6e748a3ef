/** Throwaway ed25519 key pairs for tests and fuzzing. */
import ssh2 from "ssh2";

/**
 * An ed25519 key pair that ssh2 can parse back. ssh2's generateKeyPairSync sometimes (about 1 in 128)
 * returns a key whose public part lost a leading zero byte and which parseKey rejects; those are skipped.
 */
export function generateUsableKeyPair(comment = ""): { private: string; public: string } {
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync("ed25519", { comment });
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error)) return pair;
  }
}
