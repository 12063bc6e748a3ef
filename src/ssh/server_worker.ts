/**
 * The SSH server's own thread: every connection, authentication and REPL session of SSH clients runs here,
 * so a busy server never stalls the local REPL. startSsh (start.ts) drives it with the messages of
 * _worker_messages.ts. This file is listed in the `compile` task's --include.
 */
import type { FromServerWorker, ToServerWorker } from "./_worker_messages.ts";
import { SshServer } from "./server.ts";
import { connectProcessService } from "../pool/rpc.ts";

const scope = self as unknown as {
  postMessage(message: FromServerWorker): void;
  onmessage: ((event: MessageEvent<ToServerWorker>) => void) | null;
};

let server: SshServer | null = null;

function post(message: FromServerWorker): void {
  scope.postMessage(message);
}

async function start(message: Extract<ToServerWorker, { kind: "start" }>): Promise<void> {
  try {
    const processes = message.processes ? connectProcessService(message.processes) : undefined;
    server = await SshServer.start(message.config, (line) => post({ kind: "log", line }), processes);
    const keyType = server.hostKey.publicLine.split(" ")[0];
    post({ kind: "listening", endpoint: server.endpoint, fingerprint: server.hostKey.fingerprint, keyType });
  } catch (error) {
    post({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
  }
}

async function close(): Promise<void> {
  try {
    await server?.close();
  } finally {
    post({ kind: "closed" });
  }
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.kind === "start") void start(message);
  else if (message.kind === "close") void close();
  else if (message.kind === "count") post({ kind: "count", connections: server?.connectionCount ?? 0 });
};

// A bug in one connection's handler must not take the whole server down.
globalThis.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  post({ kind: "log", line: `ssh: internal error: ${String(event.reason)}` });
});
globalThis.addEventListener("error", (event) => {
  event.preventDefault();
  post({ kind: "log", line: `ssh: internal error: ${event.message}` });
});
