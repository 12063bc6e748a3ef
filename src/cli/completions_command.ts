/** `iridium completions bash|zsh|fish`: print the shell's completion script, generated from cli.yml. */
import type { CommandHandler } from "./commands.ts";
import { EXIT_OK } from "./messages.ts";
import { bashCompletion } from "./completions/bash.ts";
import { fishCompletion } from "./completions/fish.ts";
import { type CompletionModel, completionModel } from "./completions/model.ts";
import { zshCompletion } from "./completions/zsh.ts";

/** The script generator of each shell that cli.yml lists as a choice of SHELL. */
export const COMPLETION_SCRIPTS: Record<string, (model: CompletionModel) => string> = {
  bash: bashCompletion,
  zsh: zshCompletion,
  fish: fishCompletion,
};

/** Prints the completion script of SHELL (parsing has checked it is one of cli.yml's choices). */
export const runCompletions: CommandHandler = (args, io) => {
  io.stdout(COMPLETION_SCRIPTS[args.positionals.SHELL!](completionModel()));
  return Promise.resolve(EXIT_OK);
};
