/**
 * One SSH connection, from the accepted socket to its close: authentication with its attempt limit and
 * deadline, the idle timeout, the session limit, and one audit line for each login, refusal and disconnect.
 */
import type { Socket } from "node:net";
import type { ReplServices } from "../repl/session.ts";
import type { AuditLog } from "./audit_log.ts";
import type { LogBudget } from "./log_budget.ts";
import type { Admission, AdmissionState, StartupLimits } from "./admission.ts";
import {
  AUTH_FAILURE_DELAY_MS,
  type AuthContext,
  type AuthorizedKeysCache,
  decideAuth,
  MAX_AUTH_ATTEMPTS,
} from "./auth.ts";
import type { AuthorizedKey } from "./key_store.ts";
import { type Grant, NO_RIGHTS } from "../access/grant.ts";
import { sessionProcesses } from "../pool/session_processes.ts";
import type { ProcessService } from "../pool/worker_pool.ts";
import { serveSession, type SessionHost, type SshSession } from "./session_channel.ts";

/** Limits and settings every connection shares (from the command line). */
export interface ConnectionSettings {
  idleTimeoutSeconds: number;
  /** A connection not authenticated this long after it was accepted is closed. */
  authTimeoutSeconds: number;
  /** Authenticated connections at most (`--ssh-max-connections`). */
  maxConnections: number;
  /** Unauthenticated connections (`--ssh-max-startups`). */
  maxStartups: StartupLimits;
  /** Unauthenticated connections per source address (`--ssh-max-startups-per-source`). */
  maxStartupsPerSource: number;
  maxSessions: number;
  /** Running + queued processes per key (`--ssh-max-processes`). */
  maxProcessesPerKey: number;
  heapLimit: number;
  stackLimit: number;
}

/** What connections share: settings, the audit log, the authorized keys and the REPL's host services. */
export interface ConnectionShared {
  settings: ConnectionSettings;
  audit: AuditLog;
  /** Audit lines per source for refusals and connections that never authenticate. */
  logBudget: LogBudget;
  /** The counts of unauthenticated and authenticated connections. */
  admission: Admission;
  keys: AuthorizedKeysCache;
  services: ReplServices;
  /** The VM's thread pool (through src/pool/rpc.ts), shared with the local REPL; absent without one. */
  processes?: ProcessService;
}

/** The parts of an ssh2 server-side Client used here. */
export interface SshClient {
  on(event: "authentication", listener: (ctx: AuthContext) => void): void;
  on(event: "session", listener: (accept: () => SshSession, reject: () => void) => void): void;
  on(event: "ready" | "close" | "end", listener: () => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  end(): void;
}

/**
 * Smallest maximum packet size a client may give a session channel: below it, every request on the channel
 * is refused and nothing is ever written to it. SSH clients use 32 KiB (RFC 4253 asks every implementation
 * to take packets of that size); a size of 0 made ssh2's writer loop forever, and a tiny one would cut a
 * session's output into a packet per byte.
 */
export const MIN_PACKET_SIZE = 1024;

/** The part of ssh2's Session that holds what the client's channel open asked for. */
interface ChannelParameters {
  _chanInfo?: { outgoing?: { packetSize?: number } };
}

/** After asking a client to close (its sessions ended), how long to wait before dropping it. */
const CLOSE_GRACE_MS = 2_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A connection, tracked from the moment its socket is accepted. */
export class SshConnection {
  /** `ip:port` of the client. */
  readonly from: string;
  /** The client's address, without the port. */
  readonly address: string;
  /** Resolves once the socket has closed and the disconnect is logged. */
  readonly closed: Promise<void>;
  #socket: Socket;
  #shared: ConnectionShared;
  #overLimit = false;
  #admitted: AdmissionState = "unauthenticated";
  #client: SshClient | null = null;
  #user: string | undefined;
  #key: AuthorizedKey | null = null;
  #failures = 0;
  #reason: string | undefined;
  #lastError: string | undefined;
  #ending = false;
  #openedAt = Date.now();
  #authTimer: ReturnType<typeof setTimeout>;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether each admitted session's program runs, by its stop function. */
  readonly #busy = new Map<(message: string) => void, () => boolean>();
  #sessions = new Set<(message: string) => void>();
  /** Session channels open on this connection, with a shell or command or not. */
  #channels = 0;

  /** A connection `shared.admission` has just admitted. */
  constructor(socket: Socket, shared: ConnectionShared) {
    this.#socket = socket;
    this.#shared = shared;
    const address = this.address = socket.remoteAddress ?? "unknown";
    this.from = `${address.includes(":") ? `[${address}]` : address}:${socket.remotePort ?? 0}`;
    socket.on("error", (error: Error) => this.#lastError ??= error.message);
    const authTimeoutSeconds = shared.settings.authTimeoutSeconds;
    this.#authTimer = setTimeout(() => {
      this.#audit("refused", { reason: `not authenticated within ${authTimeoutSeconds} s` });
      this.end("authentication timeout", 0);
    }, authTimeoutSeconds * 1000);
    const { promise, resolve } = Promise.withResolvers<void>();
    this.closed = promise;
    socket.once("close", () => {
      shared.admission.release(this.address, this.#admitted);
      this.#admitted = "released";
      this.#cleanup();
      const reason = this.#reason ?? (this.#lastError ? `error: ${this.#lastError}` : "closed by client");
      const seconds = Math.round((Date.now() - this.#openedAt) / 1000);
      this.#audit("disconnect", { reason, seconds });
      resolve();
    });
  }

  /** Takes over the ssh2 client made for this socket, once it has sent its version line. */
  attach(client: SshClient): void {
    this.#client = client;
    client.on("error", (error) => this.#lastError ??= error.message);
    client.on("authentication", (ctx) => void this.#authenticate(ctx));
    client.on("ready", () => {
      clearTimeout(this.#authTimer);
      this.#idleTimer = setTimeout(() => this.#onIdle(), this.#shared.settings.idleTimeoutSeconds * 1000);
    });
    client.on("session", (accept, reject) => this.#openSession(accept, reject));
    // No listener for 'request', 'tcpip' or 'openssh.streamlocal': ssh2 then refuses port forwarding.
    if (this.#ending) client.end();
  }

  /**
   * Ends the connection: each session gets `message` (when given) and ends, then the client is asked to
   * disconnect and, after a grace period, dropped.
   */
  end(reason: string, graceMs = CLOSE_GRACE_MS, message?: string): void {
    this.#reason ??= reason;
    if (this.#ending) return;
    this.#ending = true;
    for (const stop of [...this.#sessions]) stop(message ?? reason);
    const drop = () => {
      if (this.#client) this.#client.end();
      else this.#socket.end();
      setTimeout(() => this.#socket.destroy(), CLOSE_GRACE_MS).unref?.();
    };
    // Sessions just ended: let OpenSSH close its side first, so it exits with the status it was sent.
    // Without sessions, drop at once: an authenticating client gets no further round trip.
    if (this.#sessions.size === 0) return drop();
    const timer = setTimeout(drop, graceMs);
    this.closed.then(() => clearTimeout(timer));
  }

  /**
   * A session channel opens: every open counts against --ssh-max-sessions until the channel closes, so a
   * client cannot pile up channels that never ask for a shell. A channel whose maximum packet size is
   * below MIN_PACKET_SIZE stays open but inert: ssh2 refuses each of its requests.
   */
  #openSession(accept: () => SshSession, reject: () => void): void {
    if (this.#channels >= this.#shared.settings.maxSessions || this.#ending) return reject();
    const session = accept();
    this.#channels++;
    session.on("close", () => this.#channels--);
    session.on("error", () => {});
    const packetSize = (session as ChannelParameters)._chanInfo?.outgoing?.packetSize ?? 0;
    if (packetSize >= MIN_PACKET_SIZE) serveSession(session, this.#sessionHost());
  }

  #cleanup(): void {
    clearTimeout(this.#authTimer);
    clearTimeout(this.#idleTimer);
    this.#ending = true;
  }

  #audit(event: string, fields: Record<string, string | number | undefined>): void {
    const budgeted = event === "refused" || this.#key === null;
    if (budgeted && !this.#shared.logBudget.allow(this.address)) return;
    this.#shared.audit.record(event, {
      user: this.#user,
      key: this.#key?.name,
      fingerprint: this.#key?.fingerprint,
      ...fields,
      from: this.from,
    });
  }

  #touch(): void {
    this.#idleTimer?.refresh();
  }

  #onIdle(): void {
    // Idle means the client and every session's program are silent: a long computation is not idleness.
    if ([...this.#busy.values()].some((busy) => busy())) return void this.#idleTimer?.refresh();
    const seconds = this.#shared.settings.idleTimeoutSeconds;
    this.end(`idle for ${seconds} s`, CLOSE_GRACE_MS, `closing the connection: idle for ${seconds} s`);
  }

  async #authenticate(ctx: AuthContext): Promise<void> {
    if (this.#ending) return; // closing: no answer, so no further attempt
    let decision;
    try {
      decision = await decideAuth(ctx, this.#shared.keys);
    } catch (error) {
      decision = {
        kind: "refused" as const,
        reason: `cannot read the authorized keys: ${(error as Error).message}`,
      };
    }
    switch (decision.kind) {
      case "probe":
        return ctx.reject(["publickey"]);
      case "query-ok":
        return ctx.accept();
      case "accepted": {
        this.#user = ctx.username;
        this.#key = decision.key;
        if (this.#admitted === "unauthenticated") {
          this.#overLimit = !this.#shared.admission.authenticate(this.address);
          this.#admitted = this.#overLimit ? "released" : "authenticated";
        }
        if (this.#overLimit) {
          this.#audit("refused", {
            reason: `too many connections (at most ${this.#shared.settings.maxConnections})`,
          });
        } else {
          this.#audit("login", {});
        }
        return ctx.accept();
      }
      case "refused": {
        this.#failures++;
        this.#audit("refused", {
          user: ctx.username,
          method: ctx.method,
          reason: decision.reason,
          offered: decision.fingerprint,
          attempt: this.#failures,
        });
        await delay(AUTH_FAILURE_DELAY_MS);
        if (this.#ending) return;
        if (this.#failures >= MAX_AUTH_ATTEMPTS) {
          // Disconnect instead of answering, as OpenSSH does past MaxAuthTries.
          return this.end(`${MAX_AUTH_ATTEMPTS} failed authentication attempts`, 0);
        }
        return ctx.reject(["publickey"]);
      }
    }
  }

  /**
   * What the logged-in key may do now: authorized_keys is reread when it changes, so a `grant` applies to
   * the next command. A key no longer authorized may do nothing but leave.
   */
  async #grant(): Promise<Grant> {
    const fingerprint = this.#key?.fingerprint;
    const keys = await this.#shared.keys.keys().catch(() => []);
    return keys.find((k) => k.fingerprint === fingerprint)?.grant ?? NO_RIGHTS;
  }

  /** `!add_ssh_key` over SSH: who added which key, or why not, goes to the audit log. */
  async #addSshKey(add: (path: string) => Promise<string>, path: string): Promise<string> {
    try {
      const added = await add(path);
      this.#audit("key-added", { path, added });
      return added;
    } catch (error) {
      this.#audit("key-add-refused", { path, reason: (error as Error).message });
      throw error;
    }
  }

  #sessionHost(): SessionHost {
    const { settings, services, processes } = this.#shared;
    const { heapLimit, stackLimit } = settings;
    const owner = this.#key?.name ?? "?";
    const quota = settings.maxProcessesPerKey;
    const grant = () => this.#grant();
    const own = {
      ...services,
      subject: async () => ({ name: owner, grant: await grant() }),
      audit: (event: string, fields: Record<string, string>) => this.#audit(event, fields),
    };
    return {
      heapLimit,
      stackLimit,
      services: {
        ...own,
        addSshKey: services.addSshKey && ((path) => this.#addSshKey(services.addSshKey!, path)),
        processes: processes && sessionProcesses(processes, { owner, heapLimit, stackLimit, quota, grant }),
      },
      touch: () => this.#touch(),
      admit: (stop, busy) => {
        this.#touch();
        if (this.#overLimit) {
          return `too many connections to this server (at most ${settings.maxConnections}); try again later`;
        }
        if (this.#ending) return "the server is closing this connection";
        if (this.#sessions.size >= settings.maxSessions) {
          return `too many sessions on this connection (at most ${settings.maxSessions})`;
        }
        this.#sessions.add(stop);
        if (busy) this.#busy.set(stop, busy);
        return null;
      },
      release: (stop) => {
        this.#sessions.delete(stop);
        this.#busy.delete(stop);
        this.#touch();
      },
    };
  }
}
