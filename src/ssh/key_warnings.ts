/**
 * What a server operator is told about the authorized keys when the server starts and by `list-ssh-keys`:
 * each line of authorized_keys that is skipped (garbage, an unknown key type), once, and that nobody can
 * log in when no key is authorized.
 */
import { authorizedKeysPath, listAuthorizedKeys } from "./key_store.ts";

/** The advice given when no key is authorized. */
export const ADD_KEY_ADVICE = "add one with 'iridium add-ssh-key PUB_KEY_FILE'";

/**
 * Reads the authorized keys of `dataRoot`, writing one warning per skipped line to `warn`, and one more
 * when no key is usable; resolves to the number of usable keys.
 */
export async function checkAuthorizedKeys(dataRoot: string, warn: (line: string) => void): Promise<number> {
  const path = authorizedKeysPath(dataRoot);
  const keys = await listAuthorizedKeys(dataRoot, ({ line, reason }) => {
    warn(`warning: ${path}:${line}: line skipped: ${reason}`);
  });
  if (keys.length === 0) {
    warn(`warning: no authorized keys in ${path}, so nobody can log in; ${ADD_KEY_ADVICE}`);
  }
  return keys.length;
}
