/** `iridium asm FILE -o OUT` and `iridium disasm FILE` (docs/cli.md). */
import { disassemble } from "../asm/disassembler.ts";
import { loadProgramFile, readFailure } from "../asm/load_program.ts";
import { decodeIro } from "../bytecode/loader.ts";
import { encodeIro } from "../bytecode/writer.ts";
import type { CommandHandler } from "./command_handler.ts";
import { errorLine, EXIT_FAILURE, EXIT_OK } from "./messages.ts";
import { writeFileAtomic } from "../util/atomic_file.ts";

/** Assembles FILE and writes the bytecode to `--output`, atomically; on errors writes nothing. */
export const runAsm: CommandHandler = async (args, io) => {
  const input = args.positionals.FILE!;
  const output = String(args.options.output);
  const loaded = await loadProgramFile(input);
  if (!loaded.ok) {
    io.stderr(loaded.diagnostics ? `${loaded.message}\n` : errorLine(loaded.message));
    return EXIT_FAILURE;
  }
  try {
    // Mode 0644 like any build output; the directory must exist (it is the user's, not the data root).
    await writeFileAtomic(output, encodeIro(loaded.program), { mode: 0o644, createDirectory: false });
  } catch (error) {
    io.stderr(errorLine(`cannot write '${output}': ${readFailure(error)}`));
    return EXIT_FAILURE;
  }
  return EXIT_OK;
};

/** Prints the assembly of the bytecode file FILE. */
export const runDisasm: CommandHandler = async (args, io) => {
  const input = args.positionals.FILE!;
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(input);
  } catch (error) {
    io.stderr(errorLine(`cannot read '${input}': ${readFailure(error)}`));
    return EXIT_FAILURE;
  }
  const decoded = decodeIro(bytes);
  if (!decoded.ok) {
    io.stderr(errorLine(`${input}: ${decoded.error}`));
    return EXIT_FAILURE;
  }
  io.stdout(disassemble(decoded.program));
  return EXIT_OK;
};
