/**
 * `iridium FILE` (docs/cli.md): load the program, run it in slices, exit with its status. This module imports
 * only what running a file needs (the loader, the assembler, the VM), not the REPL, the worker pool or
 * node:process, each of which would add milliseconds to every program's start (see runTopLevel).
 */
import { setImmediate } from "node:timers";
import { loadCliProgram, STDIN_LABEL, STDIO_NAME } from "./std_input.ts";
import type { LoadProgramResult } from "../asm/load_program.ts";
import { labelNamerOf } from "../asm/source_map.ts";
import { INSTRUCTION_SIZE } from "../isa/opcodes.ts";
import { createFault, type Fault } from "../vm/faults.ts";
import { createMachine } from "../vm/create_machine.ts";

type LoadedProgram = Extract<LoadProgramResult, { ok: true }>;
import { OutputBuffer } from "../vm/output_buffer.ts";
import type { CliIo } from "./io.ts";
import type { ParsedCommandLine } from "./parse.ts";
import { errorLine, EXIT_FAILURE, EXIT_OK } from "./messages.ts";

/**
 * Instructions between yields while running a file: large enough that yielding costs nothing measurable,
 * small enough that signals and timers are served within milliseconds.
 */
const FILE_SLICE_BUDGET = 1_000_000;

/** The machine limits given on the command line. */
export function limitsOf(args: ParsedCommandLine) {
  return {
    heapLimit: args.options["heap-limit"] as number,
    stackLimit: args.options["stack-limit"] as number,
  };
}

function withNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}

/**
 * The fault's message, naming the program's labels, then where it is in the source when the program was
 * assembly: `  at prog.iasm:3: div $0 $1 $2`.
 */
function describeFault(loaded: LoadedProgram, path: string, fault: Fault): string {
  const { code } = loaded.program;
  const message = createFault(fault.kind, code, fault.pc, labelNamerOf(loaded.symbols)).message;
  // Running off the end (`no hlt`) is shown after the last instruction.
  const past = fault.pc === code.length;
  const line = loaded.lines?.[fault.pc / INSTRUCTION_SIZE - (past ? 1 : 0)];
  if (!line || !loaded.source) return `${message}\n`;
  const text = loaded.source.split("\n")[line - 1]?.trim() ?? "";
  return `${message}\n  ${past ? "after" : "at"} ${path}:${line}: ${text}\n`;
}

/** Runs a program file to its end; 0 on `hlt`, 1 on a fault or a load error (message on stderr). */
export async function runProgramFile(path: string, args: ParsedCommandLine, io: CliIo): Promise<number> {
  const loaded = await loadCliProgram(path);
  if (!loaded.ok) {
    io.stderr(loaded.diagnostics ? withNewline(loaded.message) : errorLine(loaded.message));
    return EXIT_FAILURE;
  }
  if (loaded.program.code.length === 0) {
    // Running it would fault with `no hlt` at 0x0000, which hides the real mistake.
    io.stderr(errorLine(`'${path}' has no instructions: the program is empty`));
    return EXIT_FAILURE;
  }
  const output = new OutputBuffer((text) => io.stdout(text));
  const machine = createMachine(loaded.program, {
    output: output.write,
    ...limitsOf(args),
    endOfCode: "fault",
  });
  for (;;) {
    const result = machine.run(FILE_SLICE_BUDGET);
    output.drain(); // one write per slice (or per 64 KiB), not one per print instruction
    switch (result.status) {
      case "budget":
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      case "waiting":
        // Only `sleep` waits here (no mailbox: `recv` faults), so there is always a time to wake at.
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, (result.wakeAt ?? 0) - Date.now())));
        continue;
      case "halted":
        return EXIT_OK;
      case "faulted":
        io.stderr(describeFault(loaded, path === STDIO_NAME ? STDIN_LABEL : path, result.fault!));
        return EXIT_FAILURE;
      default:
        io.stderr(errorLine(`the program stopped unexpectedly (${result.status})`));
        return EXIT_FAILURE;
    }
  }
}
