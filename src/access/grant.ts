/**
 * What an SSH key may do: its role, and for an operator or a viewer the applications it was given. The
 * grant is stored as options before the key in `authorized_keys` (src/access/key_options.ts) and decided
 * on by one function (src/access/policy.ts).
 */

/** The roles, from the most to the least trusted. */
export const ROLES = ["admin", "operator", "viewer"] as const;

/** One of ROLES. */
export type Role = typeof ROLES[number];

/** A key's role and applications; `apps` is empty for an admin, who has every application. */
export interface Grant {
  readonly role: Role;
  readonly apps: readonly string[];
}

/** The grant of a key stored without options, and of the local terminal: everything. */
export const ADMIN: Grant = { role: "admin", apps: [] };

/** The grant of a key no longer authorized while its session is open: nothing but leaving. */
export const NO_RIGHTS: Grant = { role: "viewer", apps: [] };

/** True when `text` names a role. */
export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

/** `admin`, or e.g. `operator of billing, reports` / `viewer of no application`. */
export function describeGrant(grant: Grant): string {
  if (grant.role === "admin") return "admin";
  const apps = grant.apps.length === 0 ? "no application" : grant.apps.join(", ");
  return `${grant.role} of ${apps}`;
}
