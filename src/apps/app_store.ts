/**
 * Applications in the data root: `apps/NAME/program.iro` (verified bytecode) and `apps/NAME/settings.json`
 * (restart policy and a revision that changes with every deploy), each written atomically, so a VM that
 * reads them never sees half a deploy. The CLI and running VMs share nothing but these files: a VM notices
 * another process's deploy by polling the revisions (src/apps/supervisor.ts).
 */
import { join } from "node:path";
import type { Program } from "../bytecode/program.ts";
import { decodeIro } from "../bytecode/loader.ts";
import { encodeIro } from "../bytecode/writer.ts";
import { writeFileAtomic } from "../util/atomic_file.ts";
import type { Subject } from "../access/policy.ts";
import { isRole } from "../access/grant.ts";
import { APP_NAME, checkAppName, RESTART_POLICIES, type RestartPolicy } from "../repl/app_request.ts";

export { checkAppName, RESTART_POLICIES, type RestartPolicy };

/** An application's settings as stored. */
export interface AppSettings {
  restart: RestartPolicy;
  /** Changes with every deploy: a running VM restarts the application when it does. */
  revision: string;
  /** Epoch milliseconds of the deploy. */
  deployedAt: number;
  /**
   * The key that deployed it and its grant, when not an admin: the application's process may message only
   * what that key may (src/pool/message_access.ts), so a deploy gives no rights its author lacks.
   */
  deployer?: Subject;
}

/** A deployed application: its name, settings and program. */
export interface StoredApp {
  name: string;
  settings: AppSettings;
  program: Program;
}

/** The folder holding every application of `dataRoot`. */
export function appsFolder(dataRoot: string): string {
  return join(dataRoot, "apps");
}

/** Applications stored under one data root. */
export class AppStore {
  constructor(readonly dataRoot: string) {}

  /** The folder of application `name` (logs live there too). */
  folderOf(name: string): string {
    return join(appsFolder(this.dataRoot), name);
  }

  /** Stores (or replaces) `name`; the program is written first, so settings never name missing code. */
  async deploy(
    name: string,
    program: Program,
    restart: RestartPolicy = "on-fault",
    deployer?: Subject,
  ): Promise<AppSettings> {
    checkAppName(name);
    const folder = this.folderOf(name);
    await writeFileAtomic(join(folder, "program.iro"), encodeIro(program));
    const settings: AppSettings = { restart, revision: crypto.randomUUID(), deployedAt: Date.now() };
    if (deployer && deployer.grant.role !== "admin") {
      settings.deployer = {
        name: deployer.name,
        grant: { role: deployer.grant.role, apps: [...deployer.grant.apps] },
      };
    }
    await writeFileAtomic(join(folder, "settings.json"), `${JSON.stringify(settings)}\n`);
    return settings;
  }

  /** Removes `name` and its logs; throws when there is no such application. */
  async remove(name: string): Promise<void> {
    checkAppName(name);
    const folder = this.folderOf(name);
    // Settings first: a VM polling meanwhile sees the application gone, never a program without settings.
    try {
      await Deno.remove(join(folder, "settings.json"));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) throw new Error(`no application named '${name}'`);
      throw error;
    }
    await Deno.remove(folder, { recursive: true });
  }

  /** Each application's revision, by name: what a VM compares to notice deploys and removals. */
  async revisions(): Promise<Map<string, AppSettings>> {
    const found = new Map<string, AppSettings>();
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(appsFolder(this.dataRoot)));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return found;
      throw error;
    }
    for (const entry of entries) {
      if (!entry.isDirectory || !APP_NAME.test(entry.name)) continue;
      const settings = await this.#readSettings(entry.name);
      if (settings) found.set(entry.name, settings);
    }
    return found;
  }

  /** Application `name` with its program, or undefined when it is not (completely) stored. */
  async read(name: string): Promise<StoredApp | undefined> {
    const settings = await this.#readSettings(name);
    if (!settings) return undefined;
    const bytes = await Deno.readFile(join(this.folderOf(name), "program.iro")).catch(() => undefined);
    if (!bytes) return undefined;
    const decoded = decodeIro(bytes);
    if (!decoded.ok) return undefined;
    return { name, settings, program: decoded.program };
  }

  async #readSettings(name: string): Promise<AppSettings | undefined> {
    try {
      const parsed = JSON.parse(await Deno.readTextFile(join(this.folderOf(name), "settings.json")));
      if (!RESTART_POLICIES.includes(parsed.restart) || typeof parsed.revision !== "string") return undefined;
      const deployer = parsed.deployer;
      // Rights that cannot be read are no rights: the application is not taken (it fails closed).
      if (
        deployer !== undefined && !(typeof deployer?.name === "string" && isRole(deployer.grant?.role) &&
          Array.isArray(deployer.grant.apps) && deployer.grant.apps.every((a: unknown) =>
            typeof a === "string"
          ))
      ) {
        return undefined;
      }
      return parsed as AppSettings;
    } catch {
      return undefined; // missing or mid-removal: not an application (yet)
    }
  }
}
