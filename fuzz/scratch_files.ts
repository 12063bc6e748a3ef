/**
 * A temporary directory of program files for the REPL and CLI targets: programs that halt, fault, fail to
 * assemble or load, and files that are not programs at all. Every program here ends by itself.
 */
import { join } from "node:path";
import { encodeIro } from "../src/bytecode/writer.ts";
import { assembleProgram } from "./examples.ts";

/** The directory and the paths inside it (plus a few that do not exist). */
export interface ScratchFiles {
  dir: string;
  paths: string[];
}

const SOURCES: Record<string, string> = {
  "ok.iasm": ".data\nmsg: .asciiz 'ok\\n'\n.code\nprts @msg\nload $1 #42\nprti $1\nhlt\n",
  "fault.iasm": "load $0 #1\nload $1 #0\ndiv $0 $1 $2\nhlt\n",
  "no_hlt.iasm": "load $0 #1\n",
  "errors.iasm": "lod $0 #1\nadd $0 $1\njmp @nowhere\n",
  "heap.iasm": "load $0 #1024\ngrow: aloc $0\ndjmpe @grow\nload $1 #0\neq $1 $1\ndjmpe @grow\n",
  "empty.iasm": "",
};

/** Creates the files; remove `dir` when done. */
export async function createScratchFiles(): Promise<ScratchFiles> {
  const dir = await Deno.makeTempDir({ prefix: "iridium_fuzz_" });
  const paths: string[] = [];
  for (const [name, text] of Object.entries(SOURCES)) {
    await Deno.writeTextFile(join(dir, name), text);
    paths.push(join(dir, name));
  }
  const iro = encodeIro(assembleProgram(SOURCES["ok.iasm"])!);
  await Deno.writeFile(join(dir, "ok.iro"), iro);
  await Deno.writeFile(join(dir, "bad.iro"), iro.slice(0, 70));
  await Deno.writeFile(join(dir, "binary.iasm"), Uint8Array.from([0xff, 0xfe, 0x00, 0xc3, 0x28]));
  await Deno.mkdir(join(dir, "folder.iasm"));
  paths.push(join(dir, "ok.iro"), join(dir, "bad.iro"), join(dir, "binary.iasm"), join(dir, "folder.iasm"));
  paths.push(join(dir, "missing.iasm"), join(dir, "missing.iro"), dir);
  return { dir, paths };
}
