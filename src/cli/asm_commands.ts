// Placeholder until the owning issue lands.
import type { CommandHandler } from "./commands.ts";
export const runAsm: CommandHandler = (_args, io) => {
  io.stderr("iridium: error: not available yet\n");
  return Promise.resolve(1);
};
export const runDisasm: CommandHandler = (_args, io) => {
  io.stderr("iridium: error: not available yet\n");
  return Promise.resolve(1);
};
