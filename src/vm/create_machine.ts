/**
 * The one public entry for making a machine: the CLI, the REPL and the process pool come here, and the
 * tier behind the machine (src/vm/fast/select.ts) stays the VM's own business.
 */
export { createMachine, type CreateMachineOptions, type Tier } from "./fast/select.ts";
export type { Machine, MachineOptions, RunResult, RunStatus } from "./machine.ts";
export type { SavedMachine } from "./machine.ts";
export { type Message, NO_PROCESS, type ProcessHost, sessionHost } from "./process_host.ts";
