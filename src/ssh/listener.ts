/**
 * The SSH server's TCP listener, kept accepting. When the process runs out of file descriptors (EMFILE,
 * ENFILE: a flood of connections against `ulimit -n`), Deno's node:net listener stops accepting for good,
 * silently, even once descriptors are free again. So every PROBE_INTERVAL_MS the listener connects to
 * itself: a probe it accepts shows all is well; a probe the kernel takes but the listener never accepts
 * shows a stalled listener, which is closed and opened again on the same address; a probe that cannot
 * even get a descriptor shows the shortage itself, and the next probe waits longer (doubling up to
 * MAX_BACKOFF_MS). Each episode is logged once when it starts and once when accepting works again.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

/** Time between two probes while all is well. */
export const PROBE_INTERVAL_MS = 2_000;
/**
 * How long a probe may take to reach the listener. It counts as stalled only if the listener accepted
 * nothing else meanwhile either: under a burst of logins the probe waits behind hundreds of connections
 * in the accept queue, and reopening then would reset them all.
 */
const PROBE_TIMEOUT_MS = 5_000;
/** Longest wait between probes while descriptors are short. */
const MAX_BACKOFF_MS = 16_000;

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: "address in use",
  EACCES: "permission denied",
  EADDRNOTAVAIL: "address not available on this host",
  ENOTFOUND: "unknown host",
  EINVAL: "not an address of this host",
};

/** `host:port`, with brackets around an IPv6 address. */
export function formatEndpoint(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error & { code?: string }) => {
      const why = LISTEN_ERRORS[error.code ?? ""] ?? error.message;
      reject(new Error(`cannot listen on ${formatEndpoint(host, port)}: ${why}`));
    };
    server.once("error", onError);
    server.listen({ host, port }, () => {
      server.off("error", onError);
      server.on("error", () => {});
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

/** Where a probe connects for a listener on `host`: the wildcard addresses by their loopback. */
function probeHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "::1";
  return host;
}

/** A listener that keeps accepting; see the module comment. */
export class SshListener {
  /** The port it listens on. */
  readonly port: number;
  #server: Server;
  #host: string;
  #onSocket: (socket: Socket) => void;
  #log: (line: string) => void;
  #probes = new Map<number, () => void>(); // local port of a probe: what its arrival resolves
  #timer: ReturnType<typeof setTimeout> | undefined;
  #backoffMs = PROBE_INTERVAL_MS;
  #trouble: string | undefined;
  #closed = false;
  /** Sockets accepted so far (probes too): a probe that waits while this grows waits in a queue. */
  #accepted = 0;
  /** The last reopen failed: the next check tries again before probing. */
  #mustReopen = false;

  private constructor(
    server: Server,
    host: string,
    port: number,
    onSocket: (socket: Socket) => void,
    log: (line: string) => void,
  ) {
    this.#server = server;
    this.#host = host;
    this.port = port;
    this.#onSocket = onSocket;
    this.#log = log;
    this.#schedule(PROBE_INTERVAL_MS);
  }

  /** Listens on host:port and hands every accepted socket to `onSocket`; rejects with a one-line Error. */
  static async open(
    host: string,
    port: number,
    onSocket: (socket: Socket) => void,
    log: (line: string) => void,
  ): Promise<SshListener> {
    const ready: { listener?: SshListener } = {}; // sockets arrive only once listen() has resolved
    const server = createServer((socket) => ready.listener!.#accept(socket));
    const actual = await listen(server, host, port);
    return ready.listener = new SshListener(server, host, actual, onSocket, log);
  }

  /** Stops listening and probing. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#server.close();
  }

  #accept(socket: Socket): void {
    this.#accepted++;
    const probe = this.#probes.get(socket.remotePort ?? -1);
    if (probe && socket.remoteAddress === probeHost(this.#host)) {
      socket.on("error", () => {});
      socket.destroy();
      return probe();
    }
    this.#onSocket(socket);
  }

  #schedule(ms: number): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => void this.#check(), ms);
    Deno.unrefTimer(this.#timer as unknown as number);
  }

  /** One probe; see the module comment for what each outcome leads to. */
  async #check(): Promise<void> {
    if (this.#mustReopen) await this.#reopen();
    const outcome = this.#mustReopen ? "no listener" : await this.#probe();
    if (this.#closed) return;
    if (outcome === "accepted") {
      if (this.#trouble) this.#log(`ssh: accepting connections again (after ${this.#trouble})`);
      this.#trouble = undefined;
      this.#backoffMs = PROBE_INTERVAL_MS;
    } else if (outcome === "stalled" || outcome === "ECONNREFUSED") {
      this.#report("the listener stopped accepting");
      await this.#reopen();
    } else {
      this.#report(`no file descriptor for new connections (${outcome})`);
      this.#backoffMs = Math.min(this.#backoffMs * 2, MAX_BACKOFF_MS);
    }
    this.#schedule(this.#trouble ? Math.min(this.#backoffMs, PROBE_INTERVAL_MS * 2) : PROBE_INTERVAL_MS);
  }

  #report(trouble: string): void {
    if (!this.#trouble) this.#log(`ssh: ${trouble}; accepting again as soon as it can`);
    this.#trouble ??= trouble;
  }

  #probe(): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect({ host: probeHost(this.#host), port: this.port });
      let localPort = -1;
      let acceptedBefore = this.#accepted;
      const done = (outcome: string) => {
        clearTimeout(timer);
        this.#probes.delete(localPort);
        socket.destroy();
        resolve(outcome);
      };
      const expire = () => {
        if (localPort === -1) return done("no connection");
        if (this.#accepted === acceptedBefore) return done("stalled");
        acceptedBefore = this.#accepted; // busy, not stalled: wait once more
        timer = setTimeout(expire, PROBE_TIMEOUT_MS);
      };
      let timer = setTimeout(expire, PROBE_TIMEOUT_MS);
      socket.on("error", (error: Error & { code?: string }) => done(error.code ?? error.message));
      socket.on("connect", () => {
        localPort = socket.localPort ?? -1;
        acceptedBefore = this.#accepted;
        this.#probes.set(localPort, () => done("accepted"));
      });
    });
  }

  /** Opens a fresh listener on the same address; on failure the next probe tries again. */
  async #reopen(): Promise<void> {
    const old = this.#server;
    old.close();
    const server = createServer((socket) => this.#accept(socket));
    try {
      await listen(server, this.#host, this.port);
      this.#server = server;
      this.#mustReopen = false;
    } catch {
      server.close();
      this.#mustReopen = true;
    }
  }
}
