/**
 * The REPL tells which processes stop with it. Mutations caught: the notice left out of runRepl (the
 * process test), queued processes not counted, wrong plurals (the wording test).
 */
import { assertEquals, assertMatch } from "../assert.ts";
import { unfinishedProcessesNotice } from "../../src/cli/stop_notice.ts";
import type { ProcessService } from "../../src/pool/worker_pool.ts";
import type { ProcessState } from "../../src/pool/process_table.ts";
import { IRIDIUM_RUN_ARGS, REPO_ROOT } from "../support/cli.ts";
import { withTempDir } from "../support/temp_dir.ts";

function poolWith(...states: ProcessState[]): ProcessService {
  const list = states.map((state, i) => ({
    pid: i + 1,
    source: "x",
    owner: "local",
    state,
    executed: 0,
    spawnedAt: 0,
  }));
  return { list: () => Promise.resolve(list) } as unknown as ProcessService;
}

Deno.test("unfinishedProcessesNotice() counts running and queued processes, and is silent when all ended", async () => {
  assertEquals(await unfinishedProcessesNotice(poolWith("halted", "killed", "faulted")), undefined);
  assertEquals(await unfinishedProcessesNotice(poolWith("running")), "1 process still running: stopped");
  assertEquals(
    await unfinishedProcessesNotice(poolWith("running", "running", "queued", "halted")),
    "2 processes still running and 1 queued: stopped",
  );
  assertEquals(await unfinishedProcessesNotice(poolWith("queued", "queued")), "2 processes queued: stopped");
});

Deno.test("the piped REPL says at the end of its input how many processes it stops", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/loop.iasm`, "load $1 #0\njmp $1\n");
    const script = `!spawn ${dir}/loop.iasm\n!spawn ${dir}/loop.iasm\n`;
    const child = new Deno.Command(Deno.execPath(), {
      args: [...IRIDIUM_RUN_ARGS, "--threads", "1", "--data-root-dir", dir],
      cwd: REPO_ROOT,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(script));
    await writer.close();
    const { code, stderr } = await child.output();
    assertEquals(code, 0);
    // Whether the first has started by then depends on the worker's start-up; both are counted.
    assertMatch(
      new TextDecoder().decode(stderr),
      /^iridium: (1 process still running and 1 queued|2 processes queued|2 processes still running): stopped\n$/,
    );
  });
});
