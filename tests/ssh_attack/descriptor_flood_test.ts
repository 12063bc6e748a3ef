/**
 * Descriptor exhaustion: the daemon runs with 256 file descriptors (prlimit) and takes 400 silent
 * connections (its unauthenticated stage widened so it holds them all). Accepting fails with EMFILE; once
 * the connections close, the server accepts again by itself, the authorized user gets in, and the episode
 * is logged once, not per socket.
 *
 * Mutation checked: without the listener's probes (src/ssh/listener.ts never scheduling #check) the user
 * is never accepted again after the flood.
 */
import net from "node:net";
import { assert, assertEquals } from "../assert.ts";
import { sleep, TargetServer } from "./_server.ts";

const SILENT = 400;

Deno.test("running out of file descriptors stops accepting only until they are free again", async () => {
  const server = await TargetServer.start(
    ["--ssh-max-startups", "1000:30:1000", "--ssh-max-startups-per-source", "1000"],
    ["prlimit", "--nofile=256:256"],
  );
  try {
    const sockets = await Promise.all(
      Array.from({ length: SILENT }, () =>
        new Promise<net.Socket>((resolve) => {
          const socket = net.connect({ host: "127.0.0.1", port: server.port });
          socket.on("error", () => {});
          socket.on("connect", () => resolve(socket));
          setTimeout(() => resolve(socket), 5_000);
        })),
    );
    await sleep(2_000);
    for (const socket of sockets) socket.destroy();
    await sleep(500);
    const started = performance.now();
    let result = await server.ssh("load $1 #3\nprti $1");
    while (result.code !== 0 && performance.now() - started < 30_000) {
      await sleep(500);
      result = await server.ssh("load $1 #3\nprti $1");
    }
    assertEquals([result.code, result.stdout], [0, "3\n"], result.stderr);
    const lines = server.stderr.split("\n").filter((line) =>
      /stopped accepting|no file descriptor/.test(line)
    );
    assert(lines.length >= 1 && lines.length <= 2, `logged ${lines.length} times:\n${lines.join("\n")}`);
    console.log(
      `descriptor flood: accepted again ${(performance.now() - started).toFixed(0)} ms after the flood; ${
        lines[0]
      }`,
    );
  } finally {
    await server.close();
  }
});
