/**
 * What each command of cli.yml does. Handlers are loaded on demand so `iridium --help` starts fast and the
 * REPL does not load the SSH server unless asked.
 */
import type { CommandHandler } from "./command_handler.ts";

export type { CommandHandler };

/** The handler of every command; key "" is the top-level command (run FILE, or the REPL). */
export const COMMAND_HANDLERS: Record<string, () => Promise<CommandHandler>> = {
  "": async () => (await import("./run_command.ts")).runTopLevel,
  "asm": async () => (await import("./asm_commands.ts")).runAsm,
  "disasm": async () => (await import("./asm_commands.ts")).runDisasm,
  "add-ssh-key": async () => (await import("./key_commands.ts")).runAddSshKey,
  "grant": async () => (await import("./key_commands.ts")).runGrant,
  "list-ssh-keys": async () => (await import("./key_commands.ts")).runListSshKeys,
  "remove-ssh-key": async () => (await import("./key_commands.ts")).runRemoveSshKey,
  "app": async () => (await import("./app_commands.ts")).runApp,
  "check": async () => (await import("./check_command.ts")).runCheck,
  "completions": async () => (await import("./completions_command.ts")).runCompletions,
};
