/**
 * A key's grant as options before the key in `authorized_keys`, in OpenSSH's option syntax:
 * `iridium-role="operator",iridium-apps="billing,reports" ssh-ed25519 AAAA... bob`. Options are
 * separated by commas and end at the first whitespace outside double quotes; inside quotes `\"` is a quote
 * (OpenSSH's sshkey_advance_past_options and opt_dequote). Option names are case-insensitive. An option
 * this server does not know (OpenSSH's own, e.g. `no-pty`, included) makes the whole line fail closed.
 */
import { APP_NAME } from "../repl/app_request.ts";
import { ADMIN, type Grant, isRole, ROLES } from "./grant.ts";

/** The option holding the role. */
export const ROLE_OPTION = "iridium-role";
/** The option holding the applications, comma-separated. */
export const APPS_OPTION = "iridium-apps";

/** What a key type looks like (`ssh-dss`, `sk-ssh-ed25519@openssh.com`): never an option list. */
const KEY_TYPE_SHAPE = /^(ssh|ecdsa|sk)-[A-Za-z0-9@.-]+$/;

/** Options that cannot be used; the message is one line and names what is wrong. */
export class KeyOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyOptionsError";
  }
}

/**
 * Splits an `authorized_keys` line into its options (empty when it starts with `keyTypes`' member) and
 * the key part `type base64 [comment]`. Throws KeyOptionsError for an unterminated quote.
 */
export function splitKeyLine(line: string, keyTypes: readonly string[]): { options: string; key: string } {
  const text = line.trim();
  const first = text.split(/[ \t]/, 1)[0];
  // A key type this server does not take still reads as a key, so its error says so, not "unknown option".
  if (keyTypes.includes(first) || KEY_TYPE_SHAPE.test(first)) return { options: "", key: text };
  let quoted = false;
  let i = 0;
  for (; i < text.length && (quoted || (text[i] !== " " && text[i] !== "\t")); i++) {
    if (text[i] === "\\" && text[i + 1] === '"') i++;
    else if (text[i] === '"') quoted = !quoted;
  }
  if (quoted) throw new KeyOptionsError("unterminated quote in the key options");
  return { options: text.slice(0, i), key: text.slice(i).trim() };
}

/** Reads a quoted value at `at`; returns it unescaped and the index after its closing quote. */
function dequote(text: string, at: number): { value: string; end: number } {
  if (text[at] !== '"') throw new KeyOptionsError(`expected '"' at column ${at + 1} of the key options`);
  let value = "";
  let i = at + 1;
  for (; i < text.length && text[i] !== '"'; i++) {
    if (text[i] === "\\" && text[i + 1] === '"') i++;
    value += text[i];
  }
  if (i >= text.length) throw new KeyOptionsError("unterminated quote in the key options");
  return { value, end: i + 1 };
}

/** Parses `name[="value"],...` into lowercase names and values; flags get `undefined`. */
export function parseOptionList(text: string): Map<string, string | undefined> {
  const options = new Map<string, string | undefined>();
  let i = 0;
  while (i < text.length) {
    const name = /^[A-Za-z0-9_-]+/.exec(text.slice(i))?.[0];
    if (!name) throw new KeyOptionsError(`expected an option name at column ${i + 1} of the key options`);
    i += name.length;
    let value: string | undefined;
    if (text[i] === "=") ({ value, end: i } = dequote(text, i + 1));
    const lower = name.toLowerCase();
    if (options.has(lower)) throw new KeyOptionsError(`option '${lower}' is given twice`);
    options.set(lower, value);
    if (i < text.length) {
      if (text[i] !== ",") throw new KeyOptionsError(`expected ',' at column ${i + 1} of the key options`);
      i++;
      if (i === text.length) throw new KeyOptionsError("the key options end with ','");
    }
  }
  return options;
}

/** Checks a list of application names (from `--apps` or the option); returns them without repeats. */
export function parseAppList(text: string): string[] {
  const apps = text.split(",").map((a) => a.trim()).filter((a) => a !== "");
  for (const app of apps) {
    if (!APP_NAME.test(app)) {
      throw new KeyOptionsError(`invalid application name '${app}': expected [a-z][a-z0-9_-]{0,31}`);
    }
  }
  return [...new Set(apps)];
}

/** The grant a line's options give: admin without options; throws KeyOptionsError for any other option. */
export function parseKeyOptions(text: string): Grant {
  if (text === "") return ADMIN;
  const options = parseOptionList(text);
  for (const name of options.keys()) {
    if (name !== ROLE_OPTION && name !== APPS_OPTION) throw new KeyOptionsError(`unknown option '${name}'`);
  }
  const role = options.get(ROLE_OPTION);
  if (role === undefined) throw new KeyOptionsError(`expected ${ROLE_OPTION}="${ROLES.join("|")}"`);
  if (!isRole(role)) {
    throw new KeyOptionsError(`invalid role '${role}': expected ${ROLES.join(", ")}`);
  }
  const apps = options.has(APPS_OPTION) ? parseAppList(options.get(APPS_OPTION) ?? "") : [];
  if (options.has(APPS_OPTION) && options.get(APPS_OPTION) === undefined) {
    throw new KeyOptionsError(`expected ${APPS_OPTION}="NAME,..."`);
  }
  checkGrant({ role, apps });
  return { role, apps };
}

/** Throws KeyOptionsError for a grant that says nothing consistent (an admin limited to applications). */
export function checkGrant(grant: Grant): void {
  if (grant.role === "admin" && grant.apps.length > 0) {
    throw new KeyOptionsError("an admin has every application: give applications to an operator or viewer");
  }
}

function quote(value: string): string {
  return `"${value.replaceAll('"', '\\"')}"`;
}

/** The options text of a grant: empty for an admin (the line of a key without options). */
export function formatKeyOptions(grant: Grant): string {
  if (grant.role === "admin") return "";
  const role = `${ROLE_OPTION}=${quote(grant.role)}`;
  return grant.apps.length === 0 ? role : `${role},${APPS_OPTION}=${quote(grant.apps.join(","))}`;
}
