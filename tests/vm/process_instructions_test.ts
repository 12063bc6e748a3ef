/**
 * The process instructions (59-65) on the machine itself, on the interpreter and on the fast tier (which
 * hands them to the interpreter), with a host whose mailbox and clock the test controls.
 *
 * Mutations each was checked against: `recv` outside a process not faulting (it would wait); `recvt`
 * restarting its deadline on each resume (the timed-out run would wait again); `sleep` with t <= 0
 * waiting; `save()`/`restore()` dropping the wait deadline; the waiting instruction counted as executed
 * (pc would move past `recv`); `send` ignoring the host's answer (equal_flag).
 */
import { assemble } from "../../src/asm/assembler.ts";
import type { Program } from "../../src/bytecode/program.ts";
import { createMachine } from "../../src/vm/fast/select.ts";
import { Machine, type MachineOptions } from "../../src/vm/machine.ts";
import { type Message, NO_PROCESS, type ProcessHost } from "../../src/vm/process_host.ts";
import { assert, assertEquals } from "../assert.ts";

function assembled(source: string): Program {
  const result = assemble(source);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return { code: result.code, rodata: result.rodata, entry: result.entry };
}

/** A process with PID 7, a mailbox the test fills, a clock the test moves, and `svc` named 9. */
function fakeProcess() {
  const mailbox: Message[] = [];
  const sent: [number, number][] = [];
  const clock = { now: 10_000 };
  const host: ProcessHost = {
    pid: 7,
    hasMailbox: true,
    startedAt: 9_000,
    send: (to, value) => to === 3 ? (sent.push([to, value]), true) : false,
    receive: () => mailbox.shift(),
    whereis: (name) => name === "svc" ? 9 : 0,
    now: () => clock.now,
  };
  return { host, mailbox, sent, clock };
}

const TIERS: [string, (p: Program, o: MachineOptions) => Machine][] = [
  ["interpreter", (p, o) => new Machine(p, o)],
  ["fast tier", (p, o) => createMachine(p, { ...o, compileAfter: 0 })],
];

function machineOn(tier: number, source: string, process?: ProcessHost) {
  let output = "";
  const machine = TIERS[tier][1](assembled(source), {
    output: (text) => output += text,
    heapLimit: 1024,
    stackLimit: 64,
    endOfCode: "fault",
    process,
  });
  return { machine, output: () => output };
}

for (const [tier, [name]] of TIERS.entries()) {
  Deno.test(`${name}: outside a process self is 0, send is not delivered and recv faults 'no mailbox'`, () => {
    const { machine, output } = machineOn(
      tier,
      ".data\nn: .asciiz 'svc'\n.code\nself $0\nprti $0\nload $1 #3\neq $1 $1\nsend $1 $1\nload $2 #1\ndjmpe @y\nload $2 #0\ny: prti $2\nwhereis $3 @n\nprti $3\nrecv $4 $5\nhlt",
      NO_PROCESS,
    );
    const result = machine.run(1000);
    assertEquals(output(), "0\n0\n0\n");
    assertEquals(result.status, "faulted");
    assertEquals(result.fault?.kind, "no mailbox");
    assertEquals(result.fault?.message, "fault: no mailbox at 0x002c (recv $4 $5)");
  });

  Deno.test(`${name}: recv waits on pc until a message comes, then takes the oldest with its sender`, () => {
    const p = fakeProcess();
    const { machine, output } = machineOn(
      tier,
      "self $9\nprti $9\nrecv $0 $1\nprti $0\nprti $1\nrecv $0 $1\nprti $0\nhlt",
      p.host,
    );
    let result = machine.run(1000);
    assertEquals([result.status, result.waitsForMessage, result.wakeAt], ["waiting", true, undefined]);
    assertEquals(machine.pc, 8, "pc stays on the recv");
    assertEquals(result.executed, 2);
    p.mailbox.push({ value: 5, sender: 3 }, { value: 6, sender: 4 });
    result = machine.run(1000);
    assertEquals(result.status, "halted");
    assertEquals(output(), "7\n5\n3\n6\n");
  });

  Deno.test(`${name}: recvt gives up at its deadline across resumes; t <= 0 does not wait`, () => {
    const p = fakeProcess();
    const { machine, output } = machineOn(
      tier,
      "load $2 #0\nrecvt $0 $1 $2\nload $5 #1\ndjmpe @a\nload $5 #0\na: prti $5\nload $2 #100\nrecvt $0 $1 $2\nload $5 #1\ndjmpe @b\nload $5 #0\nb: prti $5\nhlt",
      p.host,
    );
    let result = machine.run(1000);
    assertEquals([result.status, result.wakeAt], ["waiting", 10_100]);
    assertEquals(output(), "0\n");
    p.clock.now = 10_050;
    result = machine.run(1000);
    assertEquals([result.status, result.wakeAt], ["waiting", 10_100], "the deadline stays where it was");
    // The machine moves to another worker meanwhile: its saved state carries the deadline.
    const saved = machine.save();
    const { machine: moved, output: movedOutput } = machineOn(
      tier,
      "load $2 #0\nrecvt $0 $1 $2\nload $5 #1\ndjmpe @a\nload $5 #0\na: prti $5\nload $2 #100\nrecvt $0 $1 $2\nload $5 #1\ndjmpe @b\nload $5 #0\nb: prti $5\nhlt",
      p.host,
    );
    moved.restore(saved);
    p.clock.now = 10_100;
    result = moved.run(1000);
    assertEquals(result.status, "halted");
    assertEquals(movedOutput(), "0\n");
  });

  Deno.test(`${name}: recvt with a message sets equal_flag; sleep waits its time; clock counts from the start`, () => {
    const p = fakeProcess();
    p.mailbox.push({ value: 1, sender: 2 });
    const { machine, output } = machineOn(
      tier,
      "load $2 #50\nrecvt $0 $1 $2\nload $5 #1\ndjmpe @a\nload $5 #0\na: prti $5\nload $3 #0\nsleep $3\nload $3 #20\nsleep $3\nclock $4\nprti $4\nhlt",
      p.host,
    );
    let result = machine.run(1000);
    assertEquals([result.status, result.wakeAt, result.waitsForMessage], ["waiting", 10_020, false]);
    p.clock.now = 10_020;
    result = machine.run(1000);
    assertEquals(result.status, "halted");
    assertEquals(output(), "1\n1020\n");
  });

  Deno.test(`${name}: send reports delivery in equal_flag; whereis reads the name's string`, () => {
    const p = fakeProcess();
    const { machine, output } = machineOn(
      tier,
      ".data\nn: .asciiz 'svc'\nm: .asciiz 'other'\n.code\nload $0 #3\nload $1 #42\nsend $0 $1\nload $5 #1\ndjmpe @a\nload $5 #0\na: prti $5\nload $0 #4\nsend $0 $1\nload $5 #1\ndjmpe @b\nload $5 #0\nb: prti $5\nwhereis $6 @n\nprti $6\nwhereis $6 @m\nprti $6\nhlt",
      p.host,
    );
    assertEquals(machine.run(1000).status, "halted");
    assertEquals(output(), "1\n0\n9\n0\n");
    assertEquals(p.sent, [[3, 42]]);
  });
}

Deno.test("save() and restore() carry registers, heap, stack and flags to a fresh machine", () => {
  const p = fakeProcess();
  const source =
    "load $0 #8\naloc $0\nload $1 #77\nload $2 #64\nsetm $2 $1\npush $1\neq $1 $1\nrecv $3 $4\npop $5\nprti $5\nloadm $2 $6\nprti $6\nprti $3\nhlt";
  const first = machineOn(0, source, p.host);
  assertEquals(first.machine.run(1000).status, "waiting");
  const second = machineOn(0, source, p.host);
  second.machine.restore(first.machine.save());
  assert(second.machine.equalFlag);
  p.mailbox.push({ value: 3, sender: 1 });
  assertEquals(second.machine.run(1000).status, "halted");
  assertEquals(second.output(), "77\n77\n3\n");
});
