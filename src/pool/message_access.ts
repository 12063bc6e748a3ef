/**
 * Which processes a process may message, by the access policy (src/access/policy.ts) applied to its
 * owner's grant as it was when the process was spawned: `send` from a process is the `!send` command.
 * An operator's process reaches its owner's processes and the applications the owner was given; `whereis`
 * gives 0 for any other application, and a `send` to one of its PIDs is not delivered.
 */
import { ADMIN, type Grant } from "../access/grant.ts";
import { appOwner, decideAccess } from "../access/policy.ts";

/** A process's owner and grant: who its messages come from. */
export interface Sender {
  owner: string;
  grant?: Grant;
}

/** True when `sender` may send to a process owned by `targetOwner`. */
export function mayMessage(sender: Sender, targetOwner: string): boolean {
  const subject = { name: sender.owner, grant: sender.grant ?? ADMIN };
  return decideAccess(subject, { command: "send", processOwner: targetOwner }).allowed;
}

/** The running applications `sender` may see with `whereis`, and the PIDs of those it may not. */
export function namesFor(sender: Sender, names: Iterable<[string, number]>): {
  visible: [string, number][];
  blocked: number[];
} {
  const visible: [string, number][] = [];
  const blocked: number[] = [];
  for (const [name, pid] of names) {
    if (mayMessage(sender, appOwner(name))) visible.push([name, pid]);
    else blocked.push(pid);
  }
  return { visible, blocked };
}
