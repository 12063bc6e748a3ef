/**
 * `add-ssh-key`, `grant`, `list-ssh-keys` and `remove-ssh-key`: the authorized keys of the SSH server and
 * what each may do. A failed operation throws; runCli prints its message as one line and exits with
 * status 1 (a missing --role of `grant`: status 2).
 */
import type { CommandHandler } from "./command_handler.ts";
import { inDataRoot, resolveDataRoot } from "../util/data_dir.ts";
import { UsageError } from "./parse.ts";
import { describeGrant, type Grant, type Role } from "../access/grant.ts";
import { KeyOptionsError, parseAppList } from "../access/key_options.ts";
import {
  addAuthorizedKeyFile,
  authorizedKeysPath,
  describeKey,
  grantAuthorizedKey,
  KeyStoreError,
  listAuthorizedKeys,
  removeAuthorizedKey,
} from "../ssh/key_store.ts";
import { recordLocalChange as auditChange } from "../ssh/audit_log.ts";
import { ADD_KEY_ADVICE } from "../ssh/key_warnings.ts";

function dataRootOf(options: Record<string, unknown>): string {
  return resolveDataRoot(options["data-root-dir"] as string | undefined);
}

/** The grant of `--role` and `--apps`; an admin takes no applications. */
function grantOf(role: Role, appsText: string): Grant {
  try {
    return { role, apps: parseAppList(appsText) };
  } catch (error) {
    if (error instanceof KeyOptionsError) throw new KeyStoreError(error.message);
    throw error;
  }
}

/** `iridium add-ssh-key PUB_KEY_FILE [--name NAME] [--role ROLE] [--apps A,B]`: authorize a key. */
export const runAddSshKey: CommandHandler = async (args, io) => {
  const path = args.positionals["PUB_KEY_FILE"] as string;
  const name = (args.options["name"] as string | undefined) || undefined;
  const grant = grantOf(args.options["role"] as Role, (args.options["apps"] as string | undefined) ?? "");
  const root = dataRootOf(args.options);
  const key = await inDataRoot(root, () => addAuthorizedKeyFile(root, path, name, grant));
  await auditChange(root, "key-added", { name: key.name, role: describeGrant(key.grant) });
  io.stdout(`${describeKey("authorized", key)} as ${describeGrant(key.grant)}\n`);
  return 0;
};

/** `iridium grant NAME --role ROLE [--apps A,B]`: change what a key may do; servers apply it at once. */
export const runGrant: CommandHandler = async (args, io) => {
  const role = args.options["role"] as Role | undefined;
  if (role === undefined) throw new UsageError("missing --role: expected admin, operator or viewer", "grant");
  const grant = grantOf(role, (args.options["apps"] as string | undefined) ?? "");
  const dataRoot = dataRootOf(args.options);
  const key = await grantAuthorizedKey(dataRoot, args.positionals["NAME"] as string, grant);
  await auditChange(dataRoot, "key-granted", { name: key.name, role: describeGrant(key.grant) });
  io.stdout(`${describeKey("granted", key)} as ${describeGrant(key.grant)}\n`);
  return 0;
};

/** `iridium list-ssh-keys`: name, type, fingerprint, role and applications of each key, one per line. */
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
    io.stdout(
      `${key.name.padEnd(width)}  ${key.type.padEnd(typeWidth)}  ${key.fingerprint}  ${
        describeGrant(key.grant)
      }\n`,
    );
  }
  return 0;
};

/** `iridium remove-ssh-key NAME_OR_FINGERPRINT`: stop authorizing a key; servers notice at once. */
export const runRemoveSshKey: CommandHandler = async (args, io) => {
  const wanted = args.positionals["NAME_OR_FINGERPRINT"] as string;
  const root = dataRootOf(args.options);
  const key = await inDataRoot(root, () => removeAuthorizedKey(root, wanted));
  await auditChange(root, "key-removed", { name: key.name });
  io.stdout(`${describeKey("removed", key)}\n`);
  return 0;
};
