/**
 * The process instructions (59-65) for the dispatch loop, out of its hot path: they talk to the machine's
 * ProcessHost. A wait (`recv` on an empty mailbox, `recvt` and `sleep` before their deadline) returns
 * WAIT: the loop stops with Stop.Waiting and pc on the instruction, which runs again when the process is
 * resumed; the deadline of a timed wait is kept in the state meanwhile, so a resumed `recvt` or `sleep`
 * knows whether its time is up.
 */
import { OPCODE_BY_MNEMONIC } from "../isa/opcodes.ts";
import { readString, type VmState } from "./state.ts";

/** runProcessInstruction(): the process must wait (see VmState.waitDeadline and waitsForMessage). */
export const WAIT = -1;
/** runProcessInstruction(): `recv` or `recvt` without a mailbox. */
export const NO_MAILBOX = -2;
/** runProcessInstruction(): `whereis` names no string inside the read-only section. */
export const BAD_NAME = -3;

const byte = (mnemonic: string) => OPCODE_BY_MNEMONIC.get(mnemonic)!.byte;
const SELF = byte("self"), SEND = byte("send"), RECV = byte("recv"), RECVT = byte("recvt");
const SLEEP = byte("sleep"), CLOCK = byte("clock"), WHEREIS = byte("whereis");

/**
 * Runs the process instruction in packed word `w` on registers `r`; returns the new equal flag (0 or 1),
 * or WAIT, NO_MAILBOX or BAD_NAME.
 */
export function runProcessInstruction(s: VmState, w: number, r: Int32Array, flag: number): number {
  const host = s.host, a = (w >>> 8) & 255, b = (w >>> 16) & 255;
  switch (w & 255) {
    case SELF:
      r[a] = host.pid;
      return flag;
    case SEND:
      return host.send(r[a], r[b]) ? 1 : 0;
    case RECV:
    case RECVT: {
      if (!host.hasMailbox) return NO_MAILBOX;
      const message = host.receive();
      if (message !== undefined) {
        s.waitDeadline = -1;
        r[a] = message.value;
        r[b] = message.sender;
        return 1;
      }
      if ((w & 255) === RECV) return wait(s, -1, true);
      return waitUntil(s, host.now(), r[w >>> 24], true) ? WAIT : 0;
    }
    case SLEEP:
      return waitUntil(s, s.host.now(), r[a], false) ? WAIT : flag;
    case CLOCK:
      r[a] = (host.now() - host.startedAt) | 0;
      return flag;
    case WHEREIS: {
      const name = readString(s.rodata, w >>> 16);
      if (name === undefined) return BAD_NAME;
      r[a] = host.whereis(name);
      return flag;
    }
    default:
      return BAD_NAME; // not a process instruction: the loop never sends one here
  }
}

function wait(s: VmState, deadline: number, forMessage: boolean): number {
  s.waitDeadline = deadline;
  s.waitsForMessage = forMessage;
  return WAIT;
}

/** True while a wait of `ms` started at the first run of this instruction still has time left. */
function waitUntil(s: VmState, now: number, ms: number, forMessage: boolean): boolean {
  if (ms <= 0) {
    s.waitDeadline = -1;
    return false;
  }
  if (s.waitDeadline < 0) {
    wait(s, now + ms, forMessage);
    return true;
  }
  if (now >= s.waitDeadline) {
    s.waitDeadline = -1;
    return false;
  }
  s.waitsForMessage = forMessage;
  return true;
}
