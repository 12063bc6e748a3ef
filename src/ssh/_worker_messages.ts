/** Messages between startSsh (main thread) and the SSH server worker. */
import type { SshServerConfig } from "./server.ts";

/** Main thread to worker. */
export type ToServerWorker =
  /** `processes`: the thread pool's service, exposed on the main thread (src/pool/rpc.ts). */
  | { kind: "start"; config: SshServerConfig; processes?: MessagePort }
  | { kind: "close" }
  /** Asks how many connections are open (the answer is a "count" message). */
  | { kind: "count" };

/** Worker to main thread. */
export type FromServerWorker =
  | { kind: "listening"; endpoint: string; fingerprint: string; keyType: string }
  | { kind: "failed"; message: string }
  | { kind: "log"; line: string }
  | { kind: "closed" }
  | { kind: "count"; connections: number };
