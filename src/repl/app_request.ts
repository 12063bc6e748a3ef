/**
 * Application requests as sessions make them (`!apps`, `!app ...`, `!deploy`): plain data, so they cross to
 * the SSH worker and back over the pool's message port, and the words they are checked against. The pool
 * passes them on; src/apps/ answers them.
 */
import type { Grant } from "../access/grant.ts";

/** What happens when an application's process ends; "on-fault" is the default. */
export type RestartPolicy = "always" | "on-fault" | "never";

/** The policies, in the order `--restart` lists them. */
export const RESTART_POLICIES: readonly RestartPolicy[] = ["always", "on-fault", "never"];

/** Application names: a lower-case letter, then up to 31 of a-z, 0-9, `_` and `-`. */
export const APP_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

/** Throws a one-line error unless `name` is a valid application name. */
export function checkAppName(name: string): void {
  if (!APP_NAME.test(name)) {
    throw new Error(`invalid application name '${name}': expected [a-z][a-z0-9_-]{0,31}`);
  }
}

/** One request; `actor` is the session's owner ("local", or an SSH key's name), `grant` what it may do. */
export type AppRequest =
  & { actor: string; grant: Grant }
  & (
    | { action: "list" }
    | { action: "start" | "stop" | "restart" | "logs" | "remove"; name: string }
    | { action: "deploy"; name: string; iro: Uint8Array; restart?: RestartPolicy }
  );
