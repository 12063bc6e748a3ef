// Placeholder until the owning issue lands.
import type { CommandHandler } from "./commands.ts";
export const runAddSshKey: CommandHandler = (_args, io) => {
  io.stderr("iridium: error: not available yet\n");
  return Promise.resolve(1);
};
export const runListSshKeys: CommandHandler = (_args, io) => {
  io.stderr("iridium: error: not available yet\n");
  return Promise.resolve(1);
};
export const runRemoveSshKey: CommandHandler = (_args, io) => {
  io.stderr("iridium: error: not available yet\n");
  return Promise.resolve(1);
};
