/**
 * How a session's lines and `!` commands are put to the access policy (src/access/policy.ts): each is
 * described as an AccessRequest, decided before it runs with the key's grant as it is now, and refusals
 * and changes to applications or keys are audited.
 */
import { type AccessRequest, LINE } from "../access/policy.ts";

/** Commands that change an application or a key: audited when they succeed. */
export const CHANGES: ReadonlySet<string> = new Set([
  "add_ssh_key",
  "deploy",
  "app start",
  "app stop",
  "app restart",
]);

/** Longest part of a typed line a refusal repeats. */
const MAX_SHOWN = 60;

function shown(text: string): string {
  const line = text.trim();
  return line.length > MAX_SHOWN ? `${line.slice(0, MAX_SHOWN)}...` : line;
}

/** A typed line of assembly as a request: it runs code. */
export function lineRequest(line: string): AccessRequest {
  return { command: LINE, text: `'${shown(line)}' (a line of code)` };
}

/** A `!` command with its arguments (already counted against its usage) as a request. */
export function commandRequest(name: string, args: readonly string[]): AccessRequest {
  const text = shown(`!${[name, ...args].join(" ")}`);
  switch (name) {
    case "app":
      return { command: name, action: args[0], app: args[1], text };
    case "deploy":
      return { command: name, app: args[0], text };
    case "send":
      // A PID's owner is known to the process layer, which asks again with it.
      return /^[0-9]+$/.test(args[0]) ? { command: name, text } : { command: name, app: args[0], text };
    default:
      return { command: name, text };
  }
}

/** The key under which a request is audited as a change, or undefined when it changes nothing. */
export function changeOf(request: AccessRequest): string | undefined {
  const key = request.action === undefined ? request.command : `${request.command} ${request.action}`;
  return CHANGES.has(key) ? key : undefined;
}
