/**
 * The one place that decides whether an actor (the local terminal, or an SSH key's name) may do something
 * with applications. Every application request from a session passes through checkAppAccess() before it
 * runs; today every actor may do everything, as the local terminal can.
 */
import type { AppRequest } from "../repl/app_request.ts";

/** Who asks: "local" for the terminal, else the SSH key's name. */
export type Actor = string;

/** Throws Error(`permission denied: ...`) when `actor` may not make `request`; returns otherwise. */
export function checkAppAccess(_actor: Actor, _request: AppRequest): void {
}
