/**
 * The one place that decides what a key may do: decideAccess() is a pure function of the asker (its key
 * name and grant), the command and its target. Every REPL command, every application request and every
 * message a process sends is checked by it; the callers only describe what is asked.
 */
import { describeGrant, type Grant } from "./grant.ts";

/** A line of assembly typed into a session, as a command name: it runs code. */
export const LINE = "line";

/** Who asks: the local terminal is `{ name: "local", grant: ADMIN }`. */
export interface Subject {
  readonly name: string;
  readonly grant: Grant;
}

/** What is asked. */
export interface AccessRequest {
  /** A REPL command without `!` (`spawn`, `app`, ...), LINE, or `app` with `action: "remove"`. */
  readonly command: string;
  /** For `app`: start, stop, restart, logs or remove. */
  readonly action?: string;
  /** The application the command names, when it names one. */
  readonly app?: string;
  /** The owner of the process the command names, when it names one and it is known. */
  readonly processOwner?: string;
  /** How the request reads in a refusal, e.g. `!deploy reports x.iasm`; default the command. */
  readonly text?: string;
}

/** The answer: allowed, or refused with the one line to print. */
export type AccessDecision = { readonly allowed: true } | {
  readonly allowed: false;
  readonly reason: string;
};

/**
 * How an operator's or a viewer's request is judged: `yes`; `no`; `own` (a process it owns, or any while
 * the owner is not known yet, which the process layer then checks); `app` (an application it was given,
 * or a process of one); `list` (allowed, and the answer shows only what is its own).
 */
export type Rule = "yes" | "no" | "own" | "app" | "list";

/** The rule of each command for an operator and a viewer; an admin may do everything. */
export const RULES: Readonly<Record<string, { readonly operator: Rule; readonly viewer: Rule }>> = {
  quit: { operator: "yes", viewer: "yes" },
  help: { operator: "yes", viewer: "yes" },
  history: { operator: "yes", viewer: "yes" },
  [LINE]: { operator: "yes", viewer: "no" },
  program: { operator: "yes", viewer: "no" },
  clear_program: { operator: "yes", viewer: "no" },
  registers: { operator: "yes", viewer: "no" },
  clear_registers: { operator: "yes", viewer: "no" },
  symbols: { operator: "yes", viewer: "no" },
  load_file: { operator: "yes", viewer: "no" },
  spawn: { operator: "yes", viewer: "no" },
  ps: { operator: "list", viewer: "no" },
  kill: { operator: "own", viewer: "no" },
  output: { operator: "own", viewer: "no" },
  wait: { operator: "own", viewer: "no" },
  add_ssh_key: { operator: "no", viewer: "no" },
  send: { operator: "app", viewer: "no" },
  apps: { operator: "list", viewer: "list" },
  "app start": { operator: "app", viewer: "no" },
  "app stop": { operator: "app", viewer: "no" },
  "app restart": { operator: "app", viewer: "no" },
  "app logs": { operator: "app", viewer: "app" },
  "app remove": { operator: "no", viewer: "no" },
  deploy: { operator: "app", viewer: "no" },
};

/** What each limited role may do, as refusals say it. */
const ALLOWED: Record<"operator" | "viewer", string> = {
  operator: "an operator runs code in its sessions, spawns, lists and stops its own processes, " +
    "and for its applications: status, logs, start, stop, restart, send, deploy",
  viewer: "a viewer reads the status and logs of its applications, nothing else",
};

/** The owner name of an application's processes. */
export function appOwner(app: string): string {
  return `app:${app}`;
}

function ruleKey(request: AccessRequest): string {
  return request.action === undefined ? request.command : `${request.command} ${request.action}`;
}

function passes(rule: Rule, subject: Subject, request: AccessRequest): boolean {
  switch (rule) {
    case "yes":
    case "list":
      return true;
    case "no":
      return false;
    case "own":
      return request.processOwner === undefined || request.processOwner === subject.name;
    case "app": {
      const owner = request.processOwner;
      if (owner !== undefined) {
        if (owner === subject.name) return true;
        return owner.startsWith("app:") && subject.grant.apps.includes(owner.slice(4));
      }
      return request.app !== undefined && subject.grant.apps.includes(request.app);
    }
  }
}

/** Decides one request; an unknown command is refused to everyone but an admin. */
export function decideAccess(subject: Subject, request: AccessRequest): AccessDecision {
  const { role } = subject.grant;
  if (role === "admin") return { allowed: true };
  const rule = RULES[ruleKey(request)]?.[role] ?? "no";
  if (passes(rule, subject, request)) return { allowed: true };
  const what = request.text ?? `!${ruleKey(request)}`;
  return {
    allowed: false,
    reason: `permission denied: ${what}: key '${subject.name}' is ${describeGrant(subject.grant)}; ` +
      ALLOWED[role],
  };
}

/** Thrown for a refusal; its message is the one line to print. */
export class AccessDenied extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "AccessDenied";
  }
}

/** Throws AccessDenied when `subject` may not make `request`. */
export function checkAccess(subject: Subject, request: AccessRequest): void {
  const decision = decideAccess(subject, request);
  if (!decision.allowed) throw new AccessDenied(decision.reason);
}
