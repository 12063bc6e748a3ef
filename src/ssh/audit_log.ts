/**
 * The SSH audit trail: every login, refusal and disconnect as one line, appended to `audit.log` in the
 * data root (mode 0600) and handed to `echo` (the server's stderr).
 */
import { join } from "node:path";
import { PRIVATE_FILE_MODE } from "../util/atomic_file.ts";
import { osErrorReason } from "../util/os_error.ts";

/** File name of the audit log inside the data root. */
export const AUDIT_LOG_FILE = "audit.log";

/** Values of one audit line; strings from clients are quoted so they cannot forge a line. */
export type AuditFields = Record<string, string | number | undefined>;

/**
 * Characters JSON.stringify leaves raw that could still break or disguise a line: C1 controls, the Unicode
 * line and paragraph separators, and the bidirectional overrides and isolates.
 */
const UNSAFE_IN_JSON = /[\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Longest value an audit line carries, in characters: user names, key names and error messages come from
 * clients, and 40 clients sending 32 KB user names wrote megabytes a second. A longer value is cut and
 * marked with how much was left out, e.g. `user="aaaa…(+32640)"`.
 */
export const MAX_FIELD_LENGTH = 128;

function formatValue(value: string | number): string {
  let text = String(value);
  if (text.length > MAX_FIELD_LENGTH) {
    text = `${text.slice(0, MAX_FIELD_LENGTH)}…(+${text.length - MAX_FIELD_LENGTH})`;
  }
  if (/^[A-Za-z0-9_.:@/+=\-\[\]]+$/.test(text)) return text;
  return JSON.stringify(text).replace(
    UNSAFE_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** `event key=value ...`, the part of a line after its timestamp. */
export function formatAuditEvent(event: string, fields: AuditFields): string {
  const parts = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${formatValue(value as string | number)}`);
  return [event, ...parts].join(" ");
}

/** Appends audit lines in order; a failing disk is reported once through `echo`, never thrown. */
export class AuditLog {
  readonly path: string;
  #echo: (line: string) => void;
  #pending: Promise<void> = Promise.resolve();
  #failed = false;

  constructor(dataRoot: string, echo: (line: string) => void) {
    this.path = join(dataRoot, AUDIT_LOG_FILE);
    this.#echo = echo;
  }

  /** Records one event, e.g. `record("login", { user, key, fingerprint, from })`. */
  record(event: string, fields: AuditFields): void {
    const body = formatAuditEvent(event, fields);
    this.#echo(`ssh: ${body}`);
    const line = `${new Date().toISOString()} ${body}\n`;
    this.#pending = this.#pending.then(() => this.#append(line));
  }

  /** Resolves when every recorded line is on disk. */
  flush(): Promise<void> {
    return this.#pending;
  }

  async #append(line: string): Promise<void> {
    try {
      await Deno.writeTextFile(this.path, line, { append: true, create: true, mode: PRIVATE_FILE_MODE });
    } catch (error) {
      if (!this.#failed) {
        this.#echo(`ssh: cannot write the audit log '${this.path}': ${osErrorReason(error)}`);
      }
      this.#failed = true;
    }
  }
}

/**
 * Records a change made from this machine (the CLI, the local REPL) as the local terminal's, `key=local`,
 * and resolves when it is on disk; a failing disk is not an error of the change itself.
 */
export async function recordLocalChange(dataRoot: string, event: string, fields: AuditFields): Promise<void> {
  const audit = new AuditLog(dataRoot, () => {});
  audit.record(event, { key: "local", ...fields });
  await audit.flush();
}
