// Placeholder until the owning issue lands.
import type { CommandHandler } from "./commands.ts";
export const runTopLevel: CommandHandler = (_args, io) => {
  io.stderr("iridium: error: not available yet\n");
  return Promise.resolve(1);
};
