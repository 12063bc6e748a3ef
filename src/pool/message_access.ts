/**
 * Which processes a process may message, by the access policy (src/access/policy.ts) applied to the
 * rights it was spawned with: its owner's key and grant at the spawn, or, for an application, the key
 * that deployed it. `send` from a process is the `!send` command: an operator's process reaches its
 * owner's processes and the applications the owner was given; `whereis` gives 0 for any other
 * application, and a `send` to one of its PIDs is not delivered. No rights recorded: an admin's.
 */
import { decideAccess, type Subject } from "../access/policy.ts";
import { releaseMessage } from "./directory.ts";

/** True when a process with `rights` may send to a process owned by `targetOwner`. */
export function mayMessage(rights: Subject | undefined, targetOwner: string): boolean {
  return !rights || decideAccess(rights, { command: "send", processOwner: targetOwner }).allowed;
}

/**
 * Whether the pool hands on a message to `to` that a worker's `send` routed to it (the worker checks a
 * process it hosts itself, and an application by its name); a refused message gives back the room it
 * reserved. `rights` is
 * null for an admin's process, undefined for a sender the pool no longer knows (killed): refused.
 */
export function passMessage(
  directory: Int32Array,
  rights: Subject | null | undefined,
  to: number,
  targetOwner: string,
): boolean {
  if (rights !== undefined && mayMessage(rights ?? undefined, targetOwner)) return true;
  releaseMessage(directory, to);
  return false;
}
