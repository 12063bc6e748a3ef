/**
 * Channel opens an authorized client can send that OpenSSH's client never does, through ssh2's client with
 * its protocol writer patched: a session channel with maximum packet size 0 that then runs a printing
 * command, and 20,000 session channels on one connection. Another user's login + exec goes on within a
 * bound and the server's memory stays bounded.
 *
 * Mutations checked: serving a channel whatever its packet size (no MIN_PACKET_SIZE check in
 * SshConnection.#openSession) makes the SSH thread loop forever and the other user's exec time out;
 * counting only shells and commands (no #channels check) lets all 20,000 channels open.
 */
import { readFileSync } from "node:fs";
import ssh2 from "ssh2";
import { assert, assertEquals } from "../assert.ts";
import { sleep, type TargetServer, withTargetServer } from "./_server.ts";

type Client = InstanceType<typeof ssh2.Client>;
/** The part of ssh2's client protocol writer patched here. */
interface Protocol {
  session(chan: number, initWindow: number, maxPacket: number): void;
  _handlers: Record<string, (...args: unknown[]) => void>;
}

/** Generous bound for another user's login + exec (0.1-0.5 s when idle; forever when the thread loops). */
const OTHERS_BOUND_MS = 6_000;

async function othersExec(server: TargetServer, value: number): Promise<void> {
  const started = performance.now();
  const result = await server.ssh(`load $2 #${value}\nprti $2`);
  const ms = performance.now() - started;
  assertEquals([result.code, result.stdout], [0, `${value}\n`], result.stderr);
  assert(ms < OTHERS_BOUND_MS, `another user's login + exec took ${ms.toFixed(0)} ms`);
}

function connect(server: TargetServer): Promise<Client> {
  const client = new ssh2.Client();
  return new Promise((resolve, reject) => {
    client.on("ready", () => resolve(client));
    client.on("error", reject);
    client.connect({
      host: "127.0.0.1",
      port: server.port,
      username: "mallory",
      privateKey: readFileSync(server.key),
      hostVerifier: () => true,
      readyTimeout: 30_000,
    });
  });
}

function protocolOf(client: Client): Protocol {
  return (client as unknown as { _protocol: Protocol })._protocol;
}

Deno.test("a session channel with maximum packet size 0 is refused and stalls nobody", async () => {
  await withTargetServer([], async (server) => {
    const client = await connect(server);
    try {
      const protocol = protocolOf(client);
      const open = protocol.session.bind(protocol);
      protocol.session = (chan, window) => open(chan, window, 0);
      const outcome = await new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve("no answer"), 10_000);
        client.exec("load $1 #65\nprti $1", (error?: Error) => {
          clearTimeout(timer);
          resolve(error ? `refused: ${error.message}` : "accepted");
        });
      });
      assert(outcome.startsWith("refused"), outcome);
      await othersExec(server, 7);
    } finally {
      client.end();
    }
    await othersExec(server, 8);
  });
});

Deno.test("20,000 session channels on one connection: a few open, memory stays bounded", async () => {
  await withTargetServer([], async (server) => {
    const client = await connect(server);
    const before = await server.residentKib();
    try {
      const protocol = protocolOf(client);
      const answers = { confirmed: 0, refused: 0 };
      for (
        const [name, key] of [["CHANNEL_OPEN_CONFIRMATION", "confirmed"], ["CHANNEL_OPEN_FAILURE", "refused"]]
      ) {
        const handler = protocol._handlers[name];
        protocol._handlers[name] = (...args) => {
          answers[key as keyof typeof answers]++;
          handler(...args);
        };
      }
      const count = 20_000;
      for (let i = 0; i < count; i++) protocol.session(1_000 + i, 2 * 1024 * 1024, 32 * 1024);
      const deadline = Date.now() + 15_000;
      while (answers.confirmed + answers.refused < count && Date.now() < deadline) await sleep(100);
      assertEquals(answers, { confirmed: 4, refused: count - 4 }); // --ssh-max-sessions: 4 by default
      await othersExec(server, 9);
      const grown = await server.residentKib() - before;
      // Generous: the refused opens leave garbage behind (about 60 MiB of RSS), not channels.
      assert(grown < 160 * 1024, `the server grew by ${grown} KiB`);
    } finally {
      client.end();
    }
    await othersExec(server, 10);
  });
});
