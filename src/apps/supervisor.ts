/**
 * The supervisor: keeps every application of the data root running on the pool while the VM runs. It
 * starts them at start(), restarts them by their policy with back-off (src/apps/restart_policy.ts), sends
 * their output to their logs, names them for `whereis`, and polls the store every `pollMs` so a deploy,
 * replace or remove made by another process (`iridium app deploy` beside a daemon) takes effect within
 * that time. Polling the small settings files, rather than watching the folder, works the same on every
 * file system and costs one directory read a second.
 */
import type { Subject } from "../access/policy.ts";
import type { Program } from "../bytecode/program.ts";
import type { WorkerPool } from "../pool/worker_pool.ts";
import { AppLog } from "./app_log.ts";
import type { AppSettings, AppStore, RestartPolicy } from "./app_store.ts";
import { decideRestart, DEFAULT_TIMING, type SupervisorTiming } from "./restart_policy.ts";

/** What `!apps` shows of an application's state. */
export type AppState = "running" | "waiting" | "backing off" | "stopped" | "failed";

/** One row of `!apps`. */
export interface AppStatus {
  name: string;
  state: AppState;
  restart: RestartPolicy;
  pid?: number;
  restarts: number;
  /** Milliseconds its current process has been up. */
  uptimeMs?: number;
  lastFault?: string;
}

/** How a supervisor runs its applications. */
export interface SupervisorOptions {
  store: AppStore;
  pool: WorkerPool;
  heapLimit: number;
  stackLimit: number;
  /** Back-off and give-up timings; default 1 s doubling to 60 s, more than 5 restarts in 60 s fail. */
  timing?: SupervisorTiming;
  /** Milliseconds between two looks at the store; default 1,000. */
  pollMs?: number;
}

interface Supervised {
  name: string;
  settings: AppSettings;
  program: Program;
  log: AppLog;
  state: AppState;
  pid?: number;
  restarts: number;
  restartTimes: number[];
  startedAt?: number;
  lastFault?: string;
  timer?: ReturnType<typeof setTimeout>;
}

/** Applications of one store on one pool. */
export class Supervisor {
  readonly #apps = new Map<string, Supervised>();
  readonly #byPid = new Map<number, Supervised>();
  readonly #timing: SupervisorTiming;
  #syncing: Promise<void> = Promise.resolve();
  #poller?: ReturnType<typeof setInterval>;
  #closed = false;

  constructor(readonly options: SupervisorOptions) {
    this.#timing = options.timing ?? DEFAULT_TIMING;
    options.pool.onOutput = (pid, text) => void this.#byPid.get(pid)?.log.append(text);
  }

  /** Starts every stored application and begins polling the store. */
  async start(): Promise<void> {
    await this.sync();
    this.#poller = setInterval(() => void this.sync(), this.options.pollMs ?? 1_000);
  }

  /** Brings the running applications in line with the store (one sync at a time). */
  sync(): Promise<void> {
    this.#syncing = this.#syncing.then(() => this.#sync()).catch(() => {});
    return this.#syncing;
  }

  async #sync(): Promise<void> {
    if (this.#closed) return;
    const stored = await this.options.store.revisions();
    for (const [name, app] of this.#apps) {
      if (!stored.has(name)) {
        this.#halt(app, "stopped");
        this.#apps.delete(name);
      }
    }
    for (const [name, settings] of stored) {
      const known = this.#apps.get(name);
      if (known?.settings.revision === settings.revision) continue;
      const app = await this.options.store.read(name);
      if (!app || this.#closed) continue;
      if (known) this.#halt(known, "stopped");
      const supervised: Supervised = {
        name,
        settings: app.settings,
        program: app.program,
        log: known?.log ?? new AppLog(this.options.store.folderOf(name)),
        state: "stopped",
        restarts: 0,
        restartTimes: [],
      };
      this.#apps.set(name, supervised);
      await supervised.log.append(`-- ${known ? "replaced" : "deployed"}: restart ${app.settings.restart}\n`);
      await this.#launch(supervised);
    }
  }

  /** Stores (or replaces) an application and runs it at once. */
  async deploy(
    name: string,
    program: Program,
    restart?: RestartPolicy,
    deployer?: Subject,
  ): Promise<AppSettings> {
    const settings = await this.options.store.deploy(name, program, restart, deployer);
    await this.sync();
    return settings;
  }

  /** Removes an application: its process stops and its folder goes. */
  async remove(name: string): Promise<void> {
    await this.options.store.remove(name);
    await this.sync();
  }

  /** Every application, by name. */
  list(): AppStatus[] {
    const now = Date.now();
    return [...this.#apps.values()].sort((a, b) => a.name.localeCompare(b.name)).map((app) => {
      let state = app.state;
      if (state === "running" && app.pid !== undefined) {
        state = this.options.pool.stateOf(app.pid) === "waiting" ? "waiting" : "running";
      }
      return {
        name: app.name,
        state,
        restart: app.settings.restart,
        pid: app.pid,
        restarts: app.restarts,
        uptimeMs: app.pid !== undefined && app.startedAt !== undefined ? now - app.startedAt : undefined,
        lastFault: app.lastFault,
      };
    });
  }

  /** Starts a stopped or failed application by hand (its restart count within the window starts over). */
  async startApp(name: string): Promise<string> {
    const app = this.#require(name);
    if (app.pid !== undefined) return `application '${name}' is already running (process ${app.pid})`;
    clearTimeout(app.timer);
    app.restartTimes = [];
    await this.#launch(app);
    return app.pid === undefined
      ? `application '${name}' failed to start`
      : `started '${name}' (process ${app.pid})`;
  }

  /** Stops an application until it is started by hand or deployed again. */
  stopApp(name: string): string {
    const app = this.#require(name);
    const was = app.state;
    this.#halt(app, "stopped");
    void app.log.append("-- stopped by hand\n");
    return was === "stopped" ? `application '${name}' was already stopped` : `stopped '${name}'`;
  }

  /** Stops and starts an application. */
  async restartApp(name: string): Promise<string> {
    const app = this.#require(name);
    this.#halt(app, "stopped");
    app.restartTimes = [];
    await this.#launch(app);
    return `restarted '${name}' (process ${app.pid})`;
  }

  /** An application's kept output, oldest first. */
  logs(name: string): Promise<string> {
    return this.#require(name).log.read();
  }

  /** Stops every application (their processes end with the pool) and the polling. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#poller);
    for (const app of this.#apps.values()) this.#halt(app, "stopped");
  }

  #require(name: string): Supervised {
    const app = this.#apps.get(name);
    if (!app) throw new Error(`no application named '${name}'`);
    return app;
  }

  /** Ends whatever runs or waits to run for `app`, leaving it in `state`. */
  #halt(app: Supervised, state: AppState): void {
    clearTimeout(app.timer);
    app.timer = undefined;
    app.state = state;
    const pid = app.pid;
    if (pid === undefined) return;
    this.#forget(app);
    void this.options.pool.kill(pid).catch(() => {});
  }

  #forget(app: Supervised): void {
    if (app.pid === undefined) return;
    this.#byPid.delete(app.pid);
    if (this.options.pool.whereis(app.name) === app.pid) this.options.pool.setName(app.name, undefined);
    app.pid = undefined;
  }

  async #launch(app: Supervised): Promise<void> {
    if (this.#closed) return;
    const { pool, heapLimit, stackLimit } = this.options;
    try {
      const info = await pool.spawn({
        program: app.program,
        source: `app ${app.name}`,
        owner: `app:${app.name}`,
        heapLimit,
        stackLimit,
        rights: app.settings.deployer,
      });
      app.pid = info.pid;
      app.state = "running";
      app.startedAt = Date.now();
      this.#byPid.set(info.pid, app);
      pool.setName(app.name, info.pid);
      void app.log.append(`-- started: process ${info.pid}\n`);
      void pool.wait(info.pid).then((end) => this.#ended(app, info.pid, end.state, end.fault));
    } catch (error) {
      app.state = "failed";
      app.lastFault = error instanceof Error ? error.message : String(error);
    }
  }

  #ended(app: Supervised, pid: number, state: string, fault?: string): void {
    if (app.pid !== pid || this.#closed) return; // stopped, replaced or removed meanwhile
    this.#forget(app);
    const faulted = state === "faulted";
    if (faulted) app.lastFault = fault;
    const now = Date.now();
    const decision = decideRestart(app.settings.restart, faulted, app.restartTimes, now, this.#timing);
    const ended = faulted ? `${fault}` : state;
    if (decision.action === "stop") {
      app.state = "stopped";
      void app.log.append(`-- ${ended}; not restarted (restart ${app.settings.restart})\n`);
    } else if (decision.action === "fail") {
      app.state = "failed";
      void app.log.append(
        `-- ${ended}; failed: more than ${this.#timing.maxRestarts} restarts in ${
          this.#timing.windowMs / 1000
        } s\n`,
      );
    } else {
      app.state = "backing off";
      void app.log.append(`-- ${ended}; restarting in ${decision.delayMs / 1000} s\n`);
      app.timer = setTimeout(() => {
        app.timer = undefined;
        app.restartTimes = [
          ...app.restartTimes.filter((t) => Date.now() - t < this.#timing.windowMs),
          Date.now(),
        ];
        app.restarts++;
        void this.#launch(app);
      }, decision.delayMs);
    }
  }
}
