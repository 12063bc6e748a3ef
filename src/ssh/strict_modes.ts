/**
 * What OpenSSH's StrictModes checks, for the files the SSH server trusts: a data root or `authorized_keys`
 * that others may write lets them authorize their own key, and a host private key others may read lets
 * them impersonate the server. Either stops the server at start with one line naming the file and the
 * `chmod` that fixes it.
 */
import { join } from "node:path";
import { HOST_KEY_FILE } from "./host_key.ts";
import { AUTHORIZED_KEYS_FILE } from "./key_store.ts";

/** One file to check: the permission bits it must not have, and what they would allow. */
interface ModeRule {
  path: string;
  forbidden: number;
  allows: string;
  fix: string;
}

/** Rejects with Error(one line) when a file the server trusts has unsafe permissions; missing files pass. */
export async function checkStrictModes(dataRoot: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  const rules: ModeRule[] = [
    { path: dataRoot, forbidden: 0o022, allows: "others may write", fix: "go-w" },
    { path: join(dataRoot, AUTHORIZED_KEYS_FILE), forbidden: 0o022, allows: "others may write", fix: "600" },
    { path: join(dataRoot, HOST_KEY_FILE), forbidden: 0o077, allows: "others may read", fix: "600" },
  ];
  for (const rule of rules) {
    let mode: number | null;
    try {
      mode = (await Deno.stat(rule.path)).mode;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    if (mode !== null && (mode & rule.forbidden) !== 0) {
      const octal = (mode & 0o777).toString(8).padStart(4, "0");
      throw new Error(
        `unsafe permissions on '${rule.path}' (mode ${octal}, ${rule.allows}): fix with 'chmod ${rule.fix} ${rule.path}'`,
      );
    }
  }
}
