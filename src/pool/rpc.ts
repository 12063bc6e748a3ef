/**
 * The process service across a thread boundary: the pool lives on the main thread, SSH sessions live in
 * the SSH server's worker. `exposeProcessService` answers calls arriving on a MessagePort;
 * `connectProcessService` is the same ProcessService interface on the other end of the channel.
 */
import type { AppRequest } from "../repl/app_request.ts";
import type { ProcessInfo } from "./process_table.ts";
import type { ProcessService, SpawnRequest } from "./worker_pool.ts";

type Method = "spawn" | "list" | "kill" | "output" | "wait" | "send" | "apps";
type Argument = SpawnRequest | number | [string, number] | AppRequest;

/** A call from the proxy. `cancel` aborts a pending `wait` (Ctrl-C in the session). */
type Call =
  | { type: "call"; id: number; method: Method; argument?: Argument }
  | { type: "cancel"; id: number };

/** The answer to a call: its value, or an error (`aborted` for a cancelled wait). */
type Reply = { id: number; ok: true; value: unknown } | {
  id: number;
  ok: false;
  message: string;
  aborted: boolean;
};

/** Serves `service` on `port` until the port closes. */
export function exposeProcessService(service: ProcessService, port: MessagePort): void {
  const waits = new Map<number, AbortController>();
  port.onmessage = async (event: MessageEvent<Call>) => {
    const call = event.data;
    if (call.type === "cancel") return waits.get(call.id)?.abort();
    const { id, method, argument } = call;
    try {
      let value: unknown;
      if (method === "spawn") value = await service.spawn(argument as SpawnRequest);
      else if (method === "list") value = await service.list();
      else if (method === "kill") value = await service.kill(argument as number);
      else if (method === "output") value = await service.output(argument as number);
      else if (method === "send") value = await service.send(...(argument as [string, number]));
      else if (method === "apps") value = await service.apps(argument as AppRequest);
      else {
        const controller = new AbortController();
        waits.set(id, controller);
        value = await service.wait(argument as number, controller.signal).finally(() => waits.delete(id));
      }
      port.postMessage({ id, ok: true, value } satisfies Reply);
    } catch (error) {
      const aborted = error instanceof DOMException && error.name === "AbortError";
      const message = error instanceof Error ? error.message : String(error);
      port.postMessage({ id, ok: false, message, aborted } satisfies Reply);
    }
  };
}

/** A ProcessService that forwards every call over `port` to an exposed service. */
export function connectProcessService(port: MessagePort): ProcessService {
  let nextId = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  port.onmessage = (event: MessageEvent<Reply>) => {
    const reply = event.data;
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (!waiter) return;
    if (reply.ok) waiter.resolve(reply.value);
    else {waiter.reject(
        reply.aborted ? new DOMException(reply.message, "AbortError") : new Error(reply.message),
      );}
  };
  const call = <T>(method: Method, argument?: Argument, signal?: AbortSignal): Promise<T> => {
    const id = nextId++;
    const { promise, resolve, reject } = Promise.withResolvers<T>();
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    port.postMessage({ type: "call", id, method, argument } satisfies Call);
    signal?.addEventListener("abort", () => port.postMessage({ type: "cancel", id } satisfies Call), {
      once: true,
    });
    return promise;
  };
  return {
    spawn: (request) => call<ProcessInfo & { queued: boolean }>("spawn", request),
    list: () => call<ProcessInfo[]>("list"),
    kill: (pid) => call<ProcessInfo>("kill", pid),
    output: (pid) => call<string>("output", pid),
    send: (target, value) => call<string>("send", [target, value]),
    apps: (request) => call<string>("apps", request),
    wait: (pid, signal) =>
      signal?.aborted
        ? Promise.reject(new DOMException("stopped waiting", "AbortError"))
        : call<ProcessInfo>("wait", pid, signal),
  };
}
