/**
 * The SSH server: a TCP listener whose sockets ssh2 speaks SSH on, with the host key from the data root.
 * Sockets are accepted here (not by ssh2) so that every one, even one that never sends a version line,
 * is counted against --ssh-max-connections and falls under the authentication deadline.
 */
import type { Socket } from "node:net";
import ssh2 from "ssh2";
import { AuditLog } from "./audit_log.ts";
import { LogBudget } from "./log_budget.ts";
import { Admission } from "./admission.ts";
import { formatEndpoint, SshListener } from "./listener.ts";
import { SERVER_ALGORITHMS } from "./algorithms.ts";
import { checkStrictModes } from "./strict_modes.ts";
import { AuthorizedKeysCache } from "./auth.ts";
import { type ConnectionSettings, type SshClient, SshConnection } from "./connection.ts";
import { type HostKey, loadHostKey } from "./host_key.ts";
import { addAuthorizedKey, describeKey } from "./key_store.ts";
import type { ProcessService } from "../pool/worker_pool.ts";
import { confinedFiles, type ConfinedReader } from "./file_access.ts";
import { sendKexInitAfterClients } from "./kexinit_order.ts";
import { batchWrites } from "./write_batching.ts";

/** Everything the server needs; the values come from the command line (cli.yml holds the defaults). */
export interface SshServerConfig extends ConnectionSettings {
  host: string;
  port: number;
  dataRoot: string;
  /** `--ssh-files-dir`: the directory sessions may read files from; none when undefined. */
  filesDir?: string;
}

/** The text of a public key file a session names (`!add_ssh_key`), read through the confined reader. */
async function readKeyFile(read: ConfinedReader, path: string): Promise<string> {
  const { bytes } = await read(path, [".pub"]);
  if (bytes.length > 64 * 1024) throw new Error(`'${path}' is too large to be a public key`);
  return new TextDecoder().decode(bytes);
}

/** How long close() lets sessions say goodbye before dropping what is left. */
const SHUTDOWN_GRACE_MS = 3_000;

export { formatEndpoint };

/** A listening SSH server. */
export class SshServer {
  /** Where it listens, `host:port`. */
  readonly endpoint: string;
  readonly hostKey: HostKey;
  readonly audit: AuditLog;
  #listener: SshListener;
  #connections: Set<SshConnection>;
  #logBudget: LogBudget;

  private constructor(
    endpoint: string,
    parts: {
      hostKey: HostKey;
      audit: AuditLog;
      logBudget: LogBudget;
      listener: SshListener;
      connections: Set<SshConnection>;
    },
  ) {
    this.endpoint = endpoint;
    this.hostKey = parts.hostKey;
    this.audit = parts.audit;
    this.#listener = parts.listener;
    this.#connections = parts.connections;
    this.#logBudget = parts.logBudget;
  }

  /** Loads (or makes) the host key and listens; rejects with a one-line Error when it cannot. */
  static async start(
    config: SshServerConfig,
    echo: (line: string) => void,
    processes?: ProcessService,
  ): Promise<SshServer> {
    await checkStrictModes(config.dataRoot);
    const hostKey = await loadHostKey(config.dataRoot);
    await checkStrictModes(config.dataRoot); // the host key may have just been made
    const readFile = confinedFiles(config.filesDir, config.dataRoot);
    const audit = new AuditLog(config.dataRoot, echo);
    const logBudget = new LogBudget((from, events) => audit.record("suppressed", { from, events }));
    const admission = new Admission({
      startups: config.maxStartups,
      perSource: config.maxStartupsPerSource,
      maxAuthenticated: config.maxConnections,
    });
    const shared = {
      settings: config,
      audit,
      logBudget,
      admission,
      keys: new AuthorizedKeysCache(config.dataRoot),
      services: {
        addSshKey: async (path: string) =>
          describeKey(
            "authorized",
            await addAuthorizedKey(config.dataRoot, await readKeyFile(readFile, path)),
          ),
        readFile,
      },
      processes,
    };
    const pending = new Map<string, SshConnection>();
    const ssh = new ssh2.Server({
      hostKeys: [hostKey.privateKey],
      ident: "iridium",
      algorithms: SERVER_ALGORITHMS,
    });
    ssh.on("error", () => {});
    ssh.on("connection", (client: SshClient, info: { ip?: string; port?: number }) => {
      const key = `${info.ip}|${info.port}`;
      const connection = pending.get(key);
      pending.delete(key);
      if (connection) connection.attach(client);
      else client.end();
    });
    const connections = new Set<SshConnection>();
    const onSocket = (socket: Socket) => {
      const source = socket.remoteAddress ?? "unknown";
      const refusal = admission.admit(source);
      if (refusal) {
        // Dropped before a byte is sent, as sshd does past MaxStartups; logged within the source's budget.
        socket.on("error", () => {});
        socket.destroy();
        if (logBudget.allow(source)) {
          audit.record("dropped", { reason: refusal, from: formatEndpoint(source, socket.remotePort ?? 0) });
        }
        return;
      }
      // SSH sends many small packets; with Nagle's algorithm each waited for the delayed ACK of the one
      // before (40 ms on Linux), which made a login + exec 291 ms against 50 ms without (bench/RESULTS.md).
      socket.setNoDelay(true);
      sendKexInitAfterClients(socket); // the client's Nagle waits on our ACK otherwise (see there)
      batchWrites(socket);
      const connection = new SshConnection(socket, shared);
      const key = `${socket.remoteAddress}|${socket.remotePort}`;
      connections.add(connection);
      pending.set(key, connection);
      connection.closed.then(() => {
        connections.delete(connection);
        if (pending.get(key) === connection) pending.delete(key);
      });
      ssh.injectSocket(socket);
    };
    const listener = await SshListener.open(config.host, config.port, onSocket, echo);
    const port = listener.port;
    return new SshServer(formatEndpoint(config.host, port), {
      hostKey,
      audit,
      logBudget,
      listener,
      connections,
    });
  }

  /** Connections open now, authenticated or not. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Stops listening, ends every session with a message, and resolves when all is closed and logged. */
  async close(): Promise<void> {
    this.#listener.close();
    const open = [...this.#connections];
    for (const connection of open) {
      connection.end("server shutting down", 1_000, "the server is shutting down");
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => timer = setTimeout(resolve, SHUTDOWN_GRACE_MS));
    await Promise.race([Promise.all(open.map((c) => c.closed)), grace]);
    clearTimeout(timer);
    this.#logBudget.flush();
    await this.audit.flush();
  }
}
