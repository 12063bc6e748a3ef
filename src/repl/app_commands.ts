/**
 * The REPL commands for messages and applications (`!send`, `!apps`, `!app`, `!deploy`), rows of the one
 * command table (src/repl/commands.ts). They reach the pool and the supervisor through the session's
 * process service, so the local terminal and SSH sessions run the same code.
 */
import { checkAppName, RESTART_POLICIES, type RestartPolicy } from "./app_request.ts";
import { encodeIro } from "../bytecode/writer.ts";
import type { CommandContext, ReplCommand } from "./command_types.ts";

const NO_POOL = "not available in this session: there is no thread pool";
/** The ACTION words of `!app`. */
export const APP_ACTIONS = ["start", "stop", "restart", "logs"] as const;

function processes(context: CommandContext) {
  const pool = context.services.processes;
  if (!pool) throw new Error(NO_POOL);
  return pool;
}

/** An i32 as `!send` takes it: decimal or 0x hex, with an optional minus sign. */
function parseValue(text: string): number {
  const value = /^-?(0x[0-9a-f]+|[0-9]+)$/i.test(text) ? Number(text.replace(/^-/, "")) : NaN;
  const signed = text.startsWith("-") ? -value : value;
  if (!Number.isSafeInteger(signed) || signed < -(2 ** 31) || signed > 2 ** 31 - 1) {
    throw new Error(`invalid value '${text}': expected a 32-bit integer`);
  }
  return signed;
}

/** The message and application commands, in the order `!help` lists them. */
export const APP_COMMANDS: readonly ReplCommand[] = [
  {
    name: "send",
    args: ["TARGET", "VALUE"],
    help: "send an i32 to a process (PID) or an application (name); its sender PID is 0",
    async run(context, [target, value]) {
      const parsed = parseValue(value);
      if (!/^[0-9]+$/.test(target)) checkAppName(target);
      context.write(`${await processes(context).send(target, parsed)}\n`);
    },
  },
  {
    name: "apps",
    args: [],
    help: "applications: name, state, PID, restarts, uptime, last fault",
    async run(context) {
      context.write(await processes(context).apps({ action: "list" }));
    },
  },
  {
    name: "app",
    args: ["ACTION", "NAME"],
    help: "manage one application: ACTION is start, stop, restart, or logs (its latest output)",
    async run(context, [action, name]) {
      if (!(APP_ACTIONS as readonly string[]).includes(action)) {
        throw new Error(`unknown action '${action}': expected start, stop, restart or logs`);
      }
      checkAppName(name);
      context.write(
        await processes(context).apps({ action: action as typeof APP_ACTIONS[number], name }),
      );
    },
  },
  {
    name: "deploy",
    args: ["NAME", "PATH", "[RESTART]"],
    help:
      "deploy (or replace) an application from a file and start it; RESTART: always, on-fault (default), never",
    async run(context, [name, path, restart]) {
      checkAppName(name);
      if (restart !== undefined && !(RESTART_POLICIES as readonly string[]).includes(restart)) {
        throw new Error(`invalid restart policy '${restart}': expected always, on-fault or never`);
      }
      const pool = processes(context);
      const program = await context.readProgramFile(path);
      context.write(
        await pool.apps({
          action: "deploy",
          name,
          iro: encodeIro(program),
          restart: restart as RestartPolicy | undefined,
        }),
      );
    },
  },
];
