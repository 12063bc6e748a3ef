/**
 * Application requests put to the access policy (src/access/policy.ts), where the supervisor answers
 * them: the session checked them already, and this check keeps a request that reaches the supervisor some
 * other way from going around the policy.
 */
import { checkAccess } from "../access/policy.ts";
import type { AppRequest } from "../repl/app_request.ts";

/** Who asks: "local" for the terminal, else the SSH key's name. */
export type Actor = string;

/** Throws Error(`permission denied: ...`) when `actor` may not make `request`; returns otherwise. */
export function checkAppAccess(actor: Actor, request: AppRequest): void {
  const subject = { name: actor, grant: request.grant };
  switch (request.action) {
    case "list":
      return checkAccess(subject, { command: "apps" });
    case "deploy":
      return checkAccess(subject, { command: "deploy", app: request.name, text: `!deploy ${request.name}` });
    default:
      return checkAccess(subject, {
        command: "app",
        action: request.action,
        app: request.name,
        text: `!app ${request.action} ${request.name}`,
      });
  }
}
