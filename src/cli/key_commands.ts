/**
 * `add-ssh-key`, `list-ssh-keys` and `remove-ssh-key`: the authorized keys of the SSH server. A failed
 * operation throws; runCli prints its message as one line and exits with status 1.
 */
import type { CommandHandler } from "./command_handler.ts";
import { inDataRoot, resolveDataRoot } from "../util/data_dir.ts";
import {
  addAuthorizedKeyFile,
  authorizedKeysPath,
  describeKey,
  listAuthorizedKeys,
  removeAuthorizedKey,
} from "../ssh/key_store.ts";
import { ADD_KEY_ADVICE } from "../ssh/key_warnings.ts";

function dataRootOf(options: Record<string, unknown>): string {
  return resolveDataRoot(options["data-root-dir"] as string | undefined);
}

/** `iridium add-ssh-key PUB_KEY_FILE [--name NAME]`: authorize a key and print its fingerprint. */
export const runAddSshKey: CommandHandler = async (args, io) => {
  const path = args.positionals["PUB_KEY_FILE"] as string;
  const name = (args.options["name"] as string | undefined) || undefined;
  const root = dataRootOf(args.options);
  const key = await inDataRoot(root, () => addAuthorizedKeyFile(root, path, name));
  io.stdout(`${describeKey("authorized", key)}\n`);
  return 0;
};

/** `iridium list-ssh-keys`: name, type and fingerprint of each authorized key, one per line. */
export const runListSshKeys: CommandHandler = async (args, io) => {
  const dataRoot = dataRootOf(args.options);
  const keys = await inDataRoot(dataRoot, () =>
    listAuthorizedKeys(dataRoot, ({ line, reason }) => {
      io.stderr(`warning: ${authorizedKeysPath(dataRoot)}:${line}: line skipped: ${reason}\n`);
    }));
  if (keys.length === 0) {
    io.stderr(`no authorized keys in ${authorizedKeysPath(dataRoot)}; ${ADD_KEY_ADVICE}\n`);
    return 0;
  }
  const width = Math.max(...keys.map((k) => k.name.length));
  const typeWidth = Math.max(...keys.map((k) => k.type.length));
  for (const key of keys) {
    io.stdout(`${key.name.padEnd(width)}  ${key.type.padEnd(typeWidth)}  ${key.fingerprint}\n`);
  }
  return 0;
};

/** `iridium remove-ssh-key NAME_OR_FINGERPRINT`: stop authorizing a key; servers notice at once. */
export const runRemoveSshKey: CommandHandler = async (args, io) => {
  const wanted = args.positionals["NAME_OR_FINGERPRINT"] as string;
  const root = dataRootOf(args.options);
  const key = await inDataRoot(root, () => removeAuthorizedKey(root, wanted));
  io.stdout(`${describeKey("removed", key)}\n`);
  return 0;
};
