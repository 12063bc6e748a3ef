import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { BANNER, FAREWELL, PROMPT, ReplSession } from "../../src/repl/session.ts";
import { REPL_COMMANDS } from "../../src/repl/commands.ts";
import { OPCODES } from "../../src/isa/opcodes.ts";
import { createSession, feed, tempDir } from "./_helpers.ts";
import { WorkerPool } from "../../src/pool/worker_pool.ts";
import { sessionProcesses } from "../../src/pool/session_processes.ts";

Deno.test("the session's words are the original's", () => {
  assertEquals(BANNER, "Welcome to Iridium! Let's be productive!");
  assertEquals(PROMPT, ">>> ");
  assertEquals(FAREWELL, "Farewell! Have a great day!");
});

Deno.test("a typed line is appended and runs at once, keeping registers between lines", async () => {
  const repl = createSession();
  assertEquals(await feed(repl, "load $0 #7", "prti $0"), "7\n");
  assertEquals(await feed(repl, "load $1 #100000", "add $0 $1 $2", "prti $2"), "100007\n");
  assertEquals(repl.session.history, ["load $0 #7", "prti $0", "load $1 #100000", "add $0 $1 $2", "prti $2"]);
});

Deno.test("blank lines do nothing and are not kept in the history", async () => {
  const repl = createSession();
  assertEquals(await feed(repl, "", "   ", "\r"), "");
  assertEquals(repl.session.history, []);
});

Deno.test("labels declared on earlier lines resolve on later ones, backward jumps included", async () => {
  const repl = createSession();
  const out = await feed(repl, "load $9 #3", "top: inc $0", "lt $0 $9", "djmpe @top", "prti $0");
  assertEquals(out, "3\n");
});

Deno.test("a .data line switches typed lines to the read-only section until .code", async () => {
  const repl = createSession();
  const out = await feed(
    repl,
    ".data",
    "msg: .asciiz 'hi\\n'",
    "n: .integer #-5",
    ".code",
    "prts @msg",
    "ldi $1 @n",
  );
  assertEquals(out, "hi\n");
  assertEquals(await feed(repl, "prti $1"), "-5\n");
  const bad = await feed(repl, ".data", "x: .integer #zz");
  assertMatch(bad, /^<repl>:9:\d+: error: /, "the diagnostic names the session's line number");
});

Deno.test("a bad line prints the diagnostic with a caret under the typed text and changes nothing", async () => {
  const repl = createSession();
  await feed(repl, "load $0 #7");
  const out = await feed(repl, "lod $0 #1");
  assertMatch(out, /^<repl>:2:1: error: unknown mnemonic 'lod'/);
  assertStringIncludes(out, "\nlod $0 #1\n^^^\n");
  const wrong = await feed(repl, "add $0 $1");
  assertStringIncludes(wrong, "<repl>:3:");
  assertStringIncludes(await feed(repl, "!symbols"), "no symbols");
  assertEquals(await feed(repl, "prti $0"), "7\n");
});

Deno.test("a fault prints its message, and the session goes on with the next typed line", async () => {
  const repl = createSession();
  const out = await feed(repl, "load $1 #0", "div $0 $1 $2");
  assertEquals(out, "fault: division by zero at 0x0004 (div $0 $1 $2)\n");
  assert(repl.session.lastRunFaulted);
  assertEquals(await feed(repl, "load $3 #5", "prti $3"), "5\n");
  assert(!repl.session.lastRunFaulted);
});

Deno.test("after hlt the next typed line runs", async () => {
  const repl = createSession();
  assertEquals(await feed(repl, "load $0 #1", "hlt", "prti $0"), "1\n");
});

Deno.test("!quit prints the farewell and asks to leave", async () => {
  const repl = createSession();
  assertEquals(await repl.session.handleLine("!quit"), "quit");
  assertEquals(repl.output(), `${FAREWELL}\n`);
});

Deno.test("!help lists every command of the table and, on request, every instruction", async () => {
  const repl = createSession();
  const help = await feed(repl, "!help");
  for (const command of REPL_COMMANDS) assertStringIncludes(help, `!${command.name}`);
  assertStringIncludes(help, "!load_file PATH");
  const instructions = await feed(repl, "!help instructions");
  for (const op of OPCODES) assertMatch(instructions, new RegExp(`^  ${op.mnemonic}\\b`, "m"));
  assertStringIncludes(await feed(repl, "!help me"), "error: unknown help topic 'me'");
});

Deno.test("!history numbers this session's lines, itself included", async () => {
  const repl = createSession();
  const out = await feed(repl, "load $0 #1", "nop", "!history");
  assertEquals(out, "1  load $0 #1\n2  nop\n3  !history\n");
});

Deno.test("!program disassembles the session's program with addresses", async () => {
  const repl = createSession();
  assertEquals(await feed(repl, "!program"), "the program is empty\n");
  await feed(repl, "load $0 #7", "prti $0");
  const out = await feed(repl, "!program");
  assertMatch(out, /0x0000.*load \$0 #7/);
  assertMatch(out, /0x0004.*prti \$0/);
});

Deno.test("!registers shows a compact table with pc, flags, heap, stack and nonzero floats", async () => {
  const repl = createSession();
  await feed(repl, "load $0 #7", "load $31 #65535", "load $2 #9", "load $3 #2", "div $2 $3 $4", "push $0");
  await feed(repl, "loadf64 $1 #3", "eq $0 $0", "cloop #5");
  const out = await feed(repl, "!registers");
  const lines = out.split("\n");
  assertMatch(lines[0], /^\$0 {2}7 +\$1 {2}0 +\$2 {2}9 +\$3 {2}2 +\$4 {2}4 +\$5 {2}0 +\$6 {2}0 +\$7 {2}0$/);
  assertMatch(lines[3], /\$31 65535$/);
  assertStringIncludes(lines[4], "pc 0x0024");
  assertStringIncludes(lines[4], "equal_flag true");
  assertStringIncludes(lines[4], "remainder 1");
  assertStringIncludes(lines[4], "loop_counter 5");
  assertStringIncludes(lines[4], "heap 64 bytes");
  assertStringIncludes(lines[4], "stack 1 words");
  assertStringIncludes(out, "floats:\n$1  3\n");
  assert(lines.every((line) => line.length <= 100), "fits a terminal");
});

Deno.test("!registers shows a float as prtf64 prints it, -0 and NaN included", async () => {
  const repl = createSession();
  // $1 = 0 - 1 = -1, $2 = -1 * 0 = -0, $3 = 0 / 0 = NaN, $4 = 7.5
  await feed(repl, "loadf64 $5 #1", "subf64 $0 $5 $1", "mulf64 $1 $0 $2", "divf64 $0 $0 $3");
  await feed(repl, "loadf64 $4 #15", "loadf64 $6 #2", "divf64 $4 $6 $4");
  assertEquals(await feed(repl, "prtf64 $2", "prtf64 $3", "prtf64 $4"), "-0\nNaN\n7.5\n");
  const floats = (await feed(repl, "!registers")).split("floats:\n")[1];
  assertMatch(floats, /^\$1 {2}-1 +\$2 {2}-0 +\$3 {2}NaN +\$4 {2}7\.5 +\$5 {2}1 +\$6 {2}2\n$/);
});

Deno.test("!clear_registers zeroes integer and float registers", async () => {
  const repl = createSession();
  await feed(repl, "load $0 #7", "loadf64 $2 #1", "!clear_registers");
  const out = await feed(repl, "!registers");
  assertMatch(out, /^\$0 {2}0 /);
  assertStringIncludes(out, "floats: all 0");
});

Deno.test("!symbols lists labels with sections and addresses", async () => {
  const repl = createSession();
  await feed(repl, "nop", "here: nop", ".data", "msg: .asciiz 'x'", ".code");
  const out = await feed(repl, "!symbols");
  assertMatch(out, /^here\s+code\s+0x0004\n/);
  assertMatch(out, /msg\s+rodata\s+0x0000\n/);
});

Deno.test("!clear_program empties program and labels, and resets pc", async () => {
  const repl = createSession();
  await feed(repl, "start: load $0 #7", "!clear_program");
  assertEquals(await feed(repl, "!program"), "the program is empty\n");
  assertEquals(await feed(repl, "!symbols"), "no symbols\n");
  assertStringIncludes(await feed(repl, "!registers"), "pc 0x0000");
  assertEquals(await feed(repl, "start: prti $0"), "7\n", "registers stay; the label is free again");
});

Deno.test("!load_file assembles a file with forward references, replaces the program and runs it", async () => {
  await using tmp = await tempDir();
  const path = `${tmp.dir}/prog.iasm`;
  await Deno.writeTextFile(
    path,
    ".data\nmsg: .asciiz 'loaded\\n'\n.code\n  load $0 #41\n  call @greet\n  hlt\ngreet: prts @msg\n  inc $0\n  ret\n",
  );
  const repl = createSession();
  await feed(repl, "load $7 #3", "old: nop");
  assertEquals(await feed(repl, `!load_file ${path}`), "loaded\n");
  assertEquals(await feed(repl, "prti $0", "prti $7"), "42\n0\n", "the machine was reset");
  const symbols = await feed(repl, "!symbols");
  assertStringIncludes(symbols, "greet");
  assert(!symbols.includes("old"));
});

Deno.test("!load_file reports a missing file and an assembly error without changing the program", async () => {
  await using tmp = await tempDir();
  const repl = createSession();
  await feed(repl, "load $0 #7");
  const missing = await feed(repl, `!load_file ${tmp.dir}/nope.iasm`);
  assertStringIncludes(missing, "nope.iasm");
  const bad = `${tmp.dir}/bad.iasm`;
  await Deno.writeTextFile(bad, "nop\njmp @nowhere\n");
  assertStringIncludes(await feed(repl, `!load_file ${bad}`), "bad.iasm:2:");
  assertEquals(await feed(repl, "prti $0"), "7\n");
});

Deno.test("!spawn, !ps, !kill, !output and !wait say so when the session has no thread pool", async () => {
  const repl = createSession();
  for (const line of ["!spawn", "!ps", "!kill 3", "!output 1", "!wait 1"]) {
    assertStringIncludes(await feed(repl, line), "not available in this session: there is no thread pool");
  }
});

Deno.test("!spawn runs the session's program on the pool; !ps, !output, !wait and !kill manage it", async () => {
  const pool = new WorkerPool(1);
  try {
    const processes = sessionProcesses(pool, { owner: "tester", heapLimit: 1 << 16, stackLimit: 64 });
    const repl = createSession({ services: { processes } });
    await feed(repl, "load $0 #41", "inc $0", "prti $0", "hlt");
    assertEquals(await feed(repl, "!spawn"), "started process 1\n");
    assertEquals(await feed(repl, "!wait 1"), "process 1 halted after 4 instructions\n");
    assertEquals(await feed(repl, "!output 1"), "42\n");
    await using tmp = await tempDir();
    await Deno.writeTextFile(`${tmp.dir}/loop.iasm`, "top: jmp $31\n");
    assertEquals(await feed(repl, `!spawn ${tmp.dir}/loop.iasm`), "started process 2\n");
    const ps = await feed(repl, "!ps");
    assertMatch(
      ps,
      /^PID\s+STATE\s+INSTRUCTIONS\s+ELAPSED\s+OWNER\s+SOURCE\n1\s+halted\s+4\s.*tester\s+<repl>\n2\s/,
    );
    assertEquals(await feed(repl, "!kill 2"), "killed process 2\n");
    assertEquals(await feed(repl, "!kill 2"), "process 2 had already ended (killed)\n");
    assertEquals(await feed(repl, "!kill 9"), "error: no process with PID 9\n");
    assertEquals(await feed(repl, "!output x"), "error: invalid PID 'x': expected a positive whole number\n");
  } finally {
    pool.close();
  }
});

Deno.test("a worker whose only process ended takes the next !spawn at once, not after its idle report", async () => {
  // Catches the pool freeing a worker only on its "idle" report, which arrives after "done": a !spawn
  // right after !wait then said "queued" on a pool whose one thread was free.
  const pool = new WorkerPool(1);
  try {
    const processes = sessionProcesses(pool, { owner: "tester", heapLimit: 1 << 16, stackLimit: 64 });
    const repl = createSession({ services: { processes } });
    await feed(repl, "load $0 #1", "hlt");
    for (let pid = 1; pid <= 5; pid++) {
      assertEquals(await feed(repl, "!spawn"), `started process ${pid}\n`);
      assertEquals(await feed(repl, `!wait ${pid}`), `process ${pid} halted after 2 instructions\n`);
    }
  } finally {
    pool.close();
  }
});

Deno.test("Ctrl-C during !wait stops the waiting, not the process", async () => {
  const pool = new WorkerPool(1);
  try {
    const processes = sessionProcesses(pool, { owner: "tester", heapLimit: 1 << 16, stackLimit: 64 });
    const repl = createSession({ services: { processes } });
    await using tmp = await tempDir();
    await Deno.writeTextFile(`${tmp.dir}/loop.iasm`, "top: jmp $31\n");
    await feed(repl, `!spawn ${tmp.dir}/loop.iasm`);
    const waiting = feed(repl, "!wait 1");
    await new Promise((resolve) => setTimeout(resolve, 50));
    repl.session.interrupt();
    assertEquals(await waiting, "stopped waiting for process 1; it runs on\n");
    // Still alive: running, or still queued while a busy machine starts the worker.
    assertMatch(await feed(repl, "!ps"), /\n1\s+(running|queued)\s/);
  } finally {
    pool.close();
  }
});

Deno.test("!add_ssh_key calls the host's service, or says it is not available", async () => {
  const none = createSession();
  assertStringIncludes(await feed(none, "!add_ssh_key k.pub"), "error: not available here");
  const repl = createSession({
    services: {
      addSshKey: (path) =>
        path === "good.pub" ? Promise.resolve("added key 'me'") : Promise.reject(new Error("no such file")),
    },
  });
  assertEquals(await feed(repl, "!add_ssh_key good.pub"), "added key 'me'\n");
  assertEquals(await feed(repl, "!add_ssh_key 'bad file.pub'"), "error: no such file\n");
});

Deno.test("an unknown command suggests the nearest one", async () => {
  const repl = createSession();
  assertEquals(
    await feed(repl, "!regsiters"),
    "error: unknown command '!regsiters' (did you mean '!registers'?)\n",
  );
  assertEquals(await feed(repl, "!xyzzy"), "error: unknown command '!xyzzy' (type '!help' for the list)\n");
});

Deno.test("a wrong argument count prints the command's usage line", async () => {
  const repl = createSession();
  assertEquals(await feed(repl, "!load_file"), "usage: !load_file PATH\n");
  assertEquals(await feed(repl, "!registers now"), "usage: !registers\n");
  assertEquals(await feed(repl, "!kill"), "usage: !kill PID\n");
  assertEquals(
    await feed(repl, "!load_file 'unterminated"),
    "error: unterminated quote in the arguments: 'unterminated\n",
  );
});

Deno.test("interrupt() stops an endless loop at once, and the next line runs after it", async () => {
  const repl = createSession();
  await feed(repl, "load $5 #4");
  const done = repl.session.handleLine("jmpb $5");
  while (!repl.session.running) await new Promise((resolve) => setTimeout(resolve, 1));
  await new Promise((resolve) => setTimeout(resolve, 20)); // let it spin through a few slices
  const queued = repl.session.handleLine("prti $5");
  const start = performance.now();
  repl.session.interrupt();
  assertEquals(await done, "continue");
  const elapsed = performance.now() - start;
  // Generous, as the machine may be shared: the loop looks at the flag every few thousand instructions, so
  // a missed interrupt would hang the test rather than take a little longer.
  assert(elapsed < 2000, `interrupt took ${elapsed.toFixed(1)} ms`);
  await queued;
  assertEquals(repl.take(), "interrupted at 0x0004 (jmpb $5)\n4\n");
  assert(!repl.session.running);
  assert(!repl.session.lastRunFaulted);
});

Deno.test("lines given while a program runs wait their turn, in order", async () => {
  const repl = createSession({ sliceBudget: 100 });
  await feed(repl, "load $1 #2000");
  const results = ["top: dec $1", "gt $1 $0", "djmpe @top", "prti $1", "load $1 #9", "prti $1"]
    .map((line) => repl.session.handleLine(line));
  await Promise.all(results);
  assertEquals(repl.take(), "0\n9\n");
});

Deno.test("finishLine() ends a line that program output left open", async () => {
  const repl = createSession();
  await feed(repl, ".data", "s: .asciiz 'no newline'", ".code");
  await repl.session.handleLine("prts @s");
  assert(!repl.session.atLineStart);
  repl.session.finishLine();
  assert(repl.session.atLineStart);
  repl.session.finishLine();
  assertEquals(repl.output(), "no newline\n");
});

Deno.test("floats print in the shortest form", async () => {
  const repl = createSession();
  assertEquals(await feed(repl, "loadf64 $0 #15", "loadf64 $1 #2", "divf64 $0 $1 $2", "prtf64 $2"), "7.5\n");
});

Deno.test("a program flooding output is stopped by interrupt() inside its slice, and the next line runs", async () => {
  const chunks: string[] = [];
  // One slice could print 10,000,000 strings; the interrupt must land within a few thousand of them.
  const session: ReplSession = new ReplSession({
    write: (text) => {
      chunks.push(text);
      session.interrupt();
    },
    heapLimit: 1 << 16,
    stackLimit: 64,
    sliceBudget: 10_000_000,
  });
  for (
    const line of [
      ".data",
      "s: .asciiz 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'",
      ".code",
    ]
  ) {
    await session.handleLine(line);
  }
  await session.handleLine("top: prts @s");
  await session.handleLine("eq $0 $0");
  await session.handleLine("djmpe @top");
  const printed = chunks.join("");
  const xs = printed.replace(/[^x]/g, "").length;
  assert(xs < 64 * 20_000, `${xs} characters printed before the interrupt took effect`);
  assertStringIncludes(printed, "interrupted at");
  chunks.length = 0;
  await session.handleLine("load $1 #9");
  await session.handleLine("prti $1");
  assertEquals(chunks.join(""), "9\n");
});

Deno.test("a label alone on a line labels what the next line declares, in .data as in .code", async () => {
  const repl = createSession();
  const out = await feed(repl, ".data", "msg:", ".asciiz 'hi\\n'", ".code", "prts @msg", "top:", "prti $0");
  assertEquals(out, "hi\n0\n");
  assertMatch(await feed(repl, "!symbols"), /^top\s+code\s+0x0004\nmsg\s+rodata\s+0x0000\n$/);
});

Deno.test("!spawn of the session's program ends normally at the end of its code; an empty one is refused", async () => {
  const pool = new WorkerPool(1);
  try {
    const processes = sessionProcesses(pool, { owner: "tester", heapLimit: 1 << 16, stackLimit: 64 });
    const repl = createSession({ services: { processes } });
    assertStringIncludes(await feed(repl, "!spawn"), "error: the session's program is empty");
    await feed(repl, "load $0 #7", "prti $0"); // no hlt, as typed lines usually are
    assertEquals(await feed(repl, "!spawn"), "started process 1\n");
    assertEquals(await feed(repl, "!wait 1"), "process 1 halted after 2 instructions\n");
    assertEquals(await feed(repl, "!output 1"), "7\n");
  } finally {
    pool.close();
  }
});

Deno.test("!load_file and !spawn report a bad file once: diagnostics as rendered, other failures as one error line", async () => {
  await using tmp = await tempDir();
  const bad = `${tmp.dir}/bad.iasm`;
  await Deno.writeTextFile(bad, "nop\nlod $0 #1\n");
  const repl = createSession();
  const loaded = await feed(repl, `!load_file ${bad}`);
  assertMatch(loaded, /^\S+bad\.iasm:2:1: error: unknown mnemonic 'lod'/);
  assertEquals(
    await feed(repl, `!load_file ${tmp.dir}/none.iasm`),
    `error: cannot read '${tmp.dir}/none.iasm': no such file\n`,
  );
});

Deno.test("faults and interrupts in a session name the session's labels", async () => {
  const repl = createSession({ stackLimit: 1 });
  assertEquals(await feed(repl, "f: call @f"), "fault: stack overflow at 0x0000 (call @f)\n");
});
