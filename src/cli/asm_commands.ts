/** `iridium asm FILE -o OUT` and `iridium disasm FILE` (SPEC §6). */
import { disassemble } from "../asm/disassembler.ts";
import { loadProgramFile, readFailure } from "../asm/load_program.ts";
import { decodeIro } from "../bytecode/loader.ts";
import { encodeIro } from "../bytecode/writer.ts";
import type { CommandHandler } from "./commands.ts";
import { CLI_SPEC } from "./spec.ts";

const EXIT_OK = 0, EXIT_FAILURE = 1;

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
    await writeFileAtomically(output, encodeIro(loaded.program));
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

function errorLine(message: string): string {
  return `${CLI_SPEC.name}: error: ${message}\n`;
}

/** Writes a temporary file beside `path`, then renames it, so readers never see a half-written file. */
async function writeFileAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const slash = path.lastIndexOf("/");
  const directory = slash >= 0 ? path.slice(0, slash + 1) : "";
  const temporary = `${directory}.${path.slice(slash + 1)}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeFile(temporary, bytes, { createNew: true });
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}
