/**
 * Limits that the OpenSSH command line cannot reach easily, driven with ssh2's client: sessions per
 * connection and failed attempts per connection.
 */
import { join } from "node:path";
import ssh2 from "ssh2";
import { assert, assertEquals } from "../assert.ts";
import { generateKey, makeTempDir, ServerProcess } from "./_harness.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";

type Client = InstanceType<typeof ssh2.Client>;
type Channel = NodeJS.ReadWriteStream & {
  stderr: NodeJS.ReadableStream;
  on(e: "exit", l: (code: number) => void): void;
};

async function withServer(
  extraArgs: string[],
  body: (server: ServerProcess, key: string, dir: string) => Promise<void>,
) {
  const dir = await makeTempDir();
  const root = join(dir, "data");
  let server: ServerProcess | null = null;
  try {
    const key = await generateKey(dir, "alice");
    assertEquals(await runCli(["add-ssh-key", `${key}.pub`, "--data-root-dir", root], captureIo()), 0);
    server = await ServerProcess.start(root, extraArgs);
    await body(server, key, dir);
  } finally {
    await server?.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
}

/** Connects; `authHandler` is ssh2's (here: the same key, or a list of attempts). */
function connect(port: number, config: Record<string, unknown>): Promise<{ client: Client; error?: Error }> {
  const client = new ssh2.Client();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ client, error: new Error("timed out") }), 30_000);
    client.on("ready", () => {
      clearTimeout(timer);
      resolve({ client });
    });
    client.on("error", (error: Error) => {
      clearTimeout(timer);
      resolve({ client, error });
    });
    client.on("close", () => {
      clearTimeout(timer);
      resolve({ client, error: new Error("closed") });
    });
    client.connect({ host: "127.0.0.1", port, username: "tester", hostVerifier: () => true, ...config });
  });
}

/** Opens a shell without a pty; its output is collected from the first packet on. */
function shell(client: Client): Promise<{ channel: Channel; result: ReturnType<typeof collect> }> {
  return new Promise((resolve, reject) => {
    client.shell(false, (error: Error | undefined, channel: Channel) => {
      if (error) reject(error);
      else resolve({ channel, result: collect(channel) });
    });
  });
}

function collect(channel: Channel): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  channel.on("data", (chunk: Uint8Array) => out += new TextDecoder().decode(chunk));
  channel.stderr.on("data", (chunk: Uint8Array) => err += new TextDecoder().decode(chunk));
  return new Promise((resolve) => {
    let code = -1;
    channel.on("exit", (c: number) => code = c);
    channel.on("close", () => resolve({ code, out, err }));
  });
}

Deno.test("--ssh-max-sessions refuses the channel open one session too many on a connection", async () => {
  await withServer(["--ssh-max-sessions", "2"], async (server, key) => {
    const { client, error } = await connect(server.port, { privateKey: await Deno.readTextFile(key) });
    try {
      assertEquals(error, undefined);
      const first = await shell(client);
      const second = await shell(client);
      const refused = await shell(client).then(() => "opened", (e: Error) => e.message);
      assertEquals(refused, "(SSH) Channel open failure: ");
      first.channel.end("load $0 #1\nprti $0\n");
      second.channel.end("load $0 #2\nprti $0\n");
      assertEquals((await Promise.all([first.result, second.result])).map((r) => r.out), ["1\n", "2\n"]);
    } finally {
      client.end();
    }
  });
});

Deno.test("a connection is closed after 6 failed attempts", async () => {
  await withServer([], async (server, _key, dir) => {
    const stranger = await Deno.readTextFile(await generateKey(dir, "stranger"));
    let attempts = 0;
    const authHandler = (_methods: unknown, _partial: unknown, next: (m: unknown) => void) => {
      attempts++;
      next(attempts > 20 ? false : { type: "publickey", username: "tester", key: stranger });
    };
    const { error } = await connect(server.port, { authHandler });
    assert(error !== undefined);
    assert(attempts <= 7, `${attempts} attempts`);
    await server.waitForStderr('reason="6 failed authentication attempts"');
  });
});
