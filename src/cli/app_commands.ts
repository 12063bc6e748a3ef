/**
 * `iridium app deploy NAME FILE [--restart POLICY]`, `iridium app list`, `iridium app remove NAME`: the
 * applications of the data root (src/apps/app_store.ts). A VM running on the same data root notices the
 * change by polling; nothing here talks to it.
 */
import { loadProgramFile } from "../asm/load_program.ts";
import { AppStore, checkAppName, type RestartPolicy } from "../apps/app_store.ts";
import type { CommandHandler } from "./commands.ts";
import { resolveDataRoot } from "../util/data_dir.ts";
import { errorLine, EXIT_FAILURE, EXIT_USAGE } from "./messages.ts";
import { recordLocalChange } from "../ssh/audit_log.ts";

function storeOf(options: Record<string, unknown>): AppStore {
  return new AppStore(resolveDataRoot(options["data-root-dir"] as string | undefined));
}

/** `iridium app ACTION [NAME] [FILE]`. */
export const runApp: CommandHandler = async (args, io) => {
  const action = args.positionals["ACTION"] as string;
  const name = args.positionals["NAME"] as string | undefined;
  const file = args.positionals["FILE"] as string | undefined;
  const store = storeOf(args.options);
  const want = (count: number, usage: string) => {
    const given = [name, file].filter((x) => x !== undefined).length;
    if (given === count) return true;
    io.stderr(errorLine(`expected ${usage}, found ${given} argument${given === 1 ? "" : "s"}`));
    return false;
  };
  if (action === "list") {
    if (!want(0, "'iridium app list' without arguments")) return EXIT_USAGE;
    const apps = await store.revisions();
    if (apps.size === 0) {
      io.stderr(`no applications in ${store.dataRoot}; deploy one with 'iridium app deploy NAME FILE'\n`);
      return 0;
    }
    const width = Math.max(...[...apps.keys()].map((n) => n.length));
    for (const [app, settings] of [...apps].sort(([a], [b]) => a.localeCompare(b))) {
      const when = new Date(settings.deployedAt).toISOString();
      io.stdout(`${app.padEnd(width)}  restart ${settings.restart.padEnd(8)}  deployed ${when}\n`);
    }
    return 0;
  }
  if (action === "remove") {
    if (!want(1, "'iridium app remove NAME'")) return EXIT_USAGE;
    await store.remove(name!);
    await recordLocalChange(store.dataRoot, "change", { command: `app remove ${name}` });
    io.stdout(`removed '${name}'\n`);
    return 0;
  }
  if (!want(2, "'iridium app deploy NAME FILE'")) return EXIT_USAGE;
  checkAppName(name!); // before anything is read
  const loaded = await loadProgramFile(file!);
  if (!loaded.ok) {
    io.stderr(loaded.diagnostics ? `${loaded.message}\n` : errorLine(loaded.message));
    return EXIT_FAILURE;
  }
  const restart = args.options["restart"] as RestartPolicy;
  await store.deploy(name!, loaded.program, restart);
  await recordLocalChange(store.dataRoot, "change", { command: `app deploy ${name} ${file}` });
  io.stdout(`deployed '${name}' (restart ${restart})\n`);
  return 0;
};
