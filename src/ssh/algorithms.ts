/**
 * The algorithms the SSH server offers: only modern ones, and only ones that work under Deno, so that
 * `ssh-audit` reports no failure and no warning: curve25519 key exchange and the 2048+ bit fixed groups
 * with SHA-2 (OpenSSH 9.x also offers NIST ECDH, which ssh-audit fails); AES-GCM and AES-CTR;
 * encrypt-then-MAC SHA-2 MACs; no compression (ssh2's zlib stalls after login under Deno) and no group
 * exchange (ssh2's fails against OpenSSH). The host key is ed25519. SHA-1 user signatures (`ssh-rsa`,
 * `ssh-dss`) are refused in auth.ts.
 */

/** ssh2's `algorithms` option for the server. */
export const SERVER_ALGORITHMS = {
  kex: [
    "curve25519-sha256",
    "curve25519-sha256@libssh.org",
    "diffie-hellman-group16-sha512",
    "diffie-hellman-group18-sha512",
    "diffie-hellman-group14-sha256",
  ],
  serverHostKey: ["ssh-ed25519"],
  cipher: ["aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr"],
  hmac: ["hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com"],
  compress: ["none"],
};
