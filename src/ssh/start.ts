/**
 * Starts the SSH server in its own worker (server_worker.ts) and hands back a handle to stop it. The
 * caller (the CLI) hands in a plain configuration; the worker's audit lines reach its stderr through `io`.
 */
import { ensureDataRoot } from "../util/data_dir.ts";
import type { FromServerWorker, ToServerWorker } from "./_worker_messages.ts";
import type { SshServerConfig } from "./server.ts";
import { exposeProcessService } from "../pool/rpc.ts";
import type { ProcessService } from "../pool/worker_pool.ts";
import { checkAuthorizedKeys } from "./key_warnings.ts";

/** A running SSH server. */
export interface SshHandle {
  /** Where it listens, `host:port` (the actual port when 0 was asked for). */
  readonly endpoint: string;
  /** The host key's `SHA256:...` fingerprint. */
  readonly fingerprint: string;
  /** Stops accepting, ends every session cleanly, resolves when all is closed. */
  close(): Promise<void>;
  /** How many SSH connections are open. */
  connectionCount(): Promise<number>;
}

/** How long close() waits for the worker to end its sessions before terminating it. */
const CLOSE_TIMEOUT_MS = 6_000;

/** Where the server's messages go: the CLI's stderr. */
export interface SshLog {
  stderr(text: string): void;
}

/**
 * Starts the SSH server described by `config` (the CLI builds it from --ssh-port, --ssh-host, the limits and
 * the data root: src/cli/ssh_config.ts).
 * Prints where it listens and the host key's fingerprint to stderr; rejects with a one-line Error, e.g.
 * "cannot listen on 127.0.0.1:2223: address in use".
 */
export async function startSsh(
  config: SshServerConfig,
  io: SshLog,
  options: { processes?: ProcessService } = {},
): Promise<SshHandle> {
  await ensureDataRoot(config.dataRoot);
  const worker = new Worker(new URL("./server_worker.ts", import.meta.url), { type: "module" });
  const send = (message: ToServerWorker) => worker.postMessage(message);
  const started = Promise.withResolvers<{ endpoint: string; fingerprint: string }>();
  const closed = Promise.withResolvers<void>();
  const countAnswers: ((connections: number) => void)[] = [];
  worker.onmessage = (event: MessageEvent<FromServerWorker>) => {
    const message = event.data;
    switch (message.kind) {
      case "listening":
        io.stderr(`iridium: ssh: listening on ${message.endpoint}\n`);
        io.stderr(`iridium: ssh: host key ${message.keyType} ${message.fingerprint}\n`);
        started.resolve(message);
        break;
      case "failed":
        started.reject(new Error(message.message));
        break;
      case "log":
        io.stderr(`iridium: ${message.line}\n`);
        break;
      case "closed":
        closed.resolve();
        break;
      case "count":
        for (const answer of countAnswers.splice(0)) answer(message.connections);
        break;
    }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    const error = new Error(`the SSH server stopped: ${event.message}`);
    started.reject(error);
    closed.resolve();
    io.stderr(`iridium: ${error.message}\n`);
  };
  let processesPort: MessagePort | undefined;
  if (options.processes) {
    const channel = new MessageChannel();
    processesPort = channel.port1;
    exposeProcessService(options.processes, channel.port1);
    worker.postMessage({ kind: "start", config, processes: channel.port2 } satisfies ToServerWorker, [
      channel.port2,
    ]);
  } else {
    send({ kind: "start", config });
  }
  let info;
  try {
    info = await started.promise;
  } catch (error) {
    worker.terminate();
    throw error;
  }
  await checkAuthorizedKeys(config.dataRoot, (line) => io.stderr(`iridium: ssh: ${line}\n`));

  let closing: Promise<void> | null = null;
  return {
    endpoint: info.endpoint,
    fingerprint: info.fingerprint,
    connectionCount() {
      if (closing) return Promise.resolve(0);
      const { promise, resolve } = Promise.withResolvers<number>();
      countAnswers.push(resolve);
      send({ kind: "count" });
      return promise;
    },
    close() {
      closing ??= (async () => {
        send({ kind: "close" });
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<void>((resolve) => timer = setTimeout(resolve, CLOSE_TIMEOUT_MS));
        await Promise.race([closed.promise, timeout]);
        clearTimeout(timer);
        worker.terminate();
        processesPort?.close();
      })();
      return closing;
    },
  };
}
