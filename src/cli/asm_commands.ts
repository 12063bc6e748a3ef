/** `iridium asm FILE [-o OUT]` and `iridium disasm FILE` (docs/cli.md); `-` is standard input or output. */
import { extname, resolve } from "node:path";
import { disassemble } from "../asm/disassembler.ts";
import { readFailure } from "../asm/load_program.ts";
import { decodeIro } from "../bytecode/loader.ts";
import { encodeIro } from "../bytecode/writer.ts";
import type { CommandHandler } from "./command_handler.ts";
import { errorLine, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./messages.ts";
import { loadCliProgram, readStandardInput, STDIN_LABEL, STDIO_NAME } from "./std_input.ts";
import { writeFileAtomic } from "../util/atomic_file.ts";

/** The extension of bytecode files, which `asm` gives its output when no `-o` names it. */
const BYTECODE_EXTENSION = ".iro";

/** `x.iasm` → `x.iro`, `x` → `x.iro`, as luac and gcc name their output after the input. */
export function defaultOutputOf(input: string): string {
  const extension = extname(input);
  return (extension ? input.slice(0, -extension.length) : input) + BYTECODE_EXTENSION;
}

/** True when both paths name one file: the same path, or the same inode through a link. */
async function sameFile(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  try {
    const [x, y] = await Promise.all([Deno.stat(a), Deno.stat(b)]);
    return x.ino !== null && x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false; // one of them does not exist yet
  }
}

/** Assembles FILE and writes the bytecode to `--output`, atomically; on errors writes nothing. */
export const runAsm: CommandHandler = async (args, io) => {
  const input = args.positionals.FILE!;
  const given = String(args.options.output ?? "");
  if (input === STDIO_NAME && given === "") {
    io.stderr(
      errorLine("standard input has no name to derive the output from: give '-o OUT' ('-o -' for stdout)"),
    );
    return EXIT_USAGE;
  }
  const output = given === "" ? defaultOutputOf(input) : given;
  if (input !== STDIO_NAME && output !== STDIO_NAME && await sameFile(input, output)) {
    io.stderr(errorLine(`'${output}' is the input file: refusing to replace it with bytecode`));
    return EXIT_FAILURE;
  }
  const loaded = await loadCliProgram(input);
  if (!loaded.ok) {
    io.stderr(loaded.diagnostics ? `${loaded.message}\n` : errorLine(loaded.message));
    return EXIT_FAILURE;
  }
  const bytes = encodeIro(loaded.program);
  if (output === STDIO_NAME) {
    io.stdoutBytes(bytes);
    return EXIT_OK;
  }
  try {
    // Mode 0644 like any build output; the directory must exist (it is the user's, not the data root).
    await writeFileAtomic(output, bytes, { mode: 0o644, createDirectory: false });
  } catch (error) {
    io.stderr(errorLine(`cannot write '${output}': ${readFailure(error, output)}`));
    return EXIT_FAILURE;
  }
  return EXIT_OK;
};

/** Prints the assembly of the bytecode file FILE. */
export const runDisasm: CommandHandler = async (args, io) => {
  const input = args.positionals.FILE!;
  const name = input === STDIO_NAME ? STDIN_LABEL : input;
  let bytes: Uint8Array;
  try {
    bytes = input === STDIO_NAME ? await readStandardInput() : await Deno.readFile(input);
  } catch (error) {
    io.stderr(errorLine(`cannot read '${name}': ${readFailure(error, input)}`));
    return EXIT_FAILURE;
  }
  const decoded = decodeIro(bytes);
  if (!decoded.ok) {
    io.stderr(errorLine(`${name}: ${decoded.error}`));
    return EXIT_FAILURE;
  }
  io.stdout(disassemble(decoded.program));
  return EXIT_OK;
};
