/**
 * How bench/peers.ts runs its contenders: which peers are installed, one timed run of a command, and
 * rounds of runs alternated (A B A B, the order reversed every other round) so that a change in the
 * machine's load falls on both sides of a ratio.
 */

const decoder = new TextDecoder();

/** One contender: a command line, and how to read the in-process milliseconds it reports, if it does. */
export interface Contender {
  name: string;
  command: string[];
  inProcess?: (stderr: string, stdout: string) => number;
}

/** Per contender, one entry per round: wall milliseconds and, if reported, in-process milliseconds. */
export interface Timings {
  walls: Map<string, number[]>;
  inner: Map<string, number[]>;
}

/** Median of `values`. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Geometric mean of `values`. */
export function geometricMean(values: readonly number[]): number {
  return Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
}

async function found(command: string): Promise<boolean> {
  const probe = new Deno.Command("sh", { args: ["-c", `command -v ${command}`], stdout: "null" });
  return (await probe.output()).success;
}

/** The peers' commands that are not installed, each with the line that says so and how to install it. */
export async function missingPeers(): Promise<Map<string, string>> {
  const wanted: [string, string][] = [
    ["lua5.4", "lua5.4"],
    ["luajit", "luajit"],
    ["/usr/sbin/sshd", "openssh-server"],
    ["ssh", "openssh-client"],
  ];
  const missing = new Map<string, string>();
  for (const [command, pkg] of wanted) {
    if (!(await found(command))) {
      missing.set(command, `${command} is not installed (apt-get install ${pkg}): its rows are skipped`);
    }
  }
  return missing;
}

/** The first line a command prints about its version, or a note that it is not there. */
export async function version(command: string, args: string[]): Promise<string> {
  try {
    const out = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" }).output();
    return (decoder.decode(out.stdout) + decoder.decode(out.stderr)).trim().split("\n")[0];
  } catch {
    return `${command}: not available`;
  }
}

async function runOnce(contender: Contender) {
  const [command, ...args] = contender.command;
  const start = performance.now();
  const out = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" }).output();
  const wall = performance.now() - start;
  const stdout = decoder.decode(out.stdout), stderr = decoder.decode(out.stderr);
  if (!out.success) throw new Error(`${contender.command.join(" ")} failed: ${stderr}`);
  return { wall, inProcess: contender.inProcess?.(stderr, stdout), stdout: stdout.trim() };
}

/**
 * Runs every contender `rounds` times, alternating; each must print `expected` when it is given.
 * Returns every round's timings, so that ratios can be taken round by round.
 */
export async function alternate(
  contenders: Contender[],
  rounds: number,
  expected?: string,
): Promise<Timings> {
  const walls = new Map<string, number[]>(), inner = new Map<string, number[]>();
  for (const { name } of contenders) walls.set(name, []);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      const result = await runOnce(contender);
      if (expected !== undefined && result.stdout !== expected) {
        throw new Error(`${contender.name}: expected output ${expected}, got ${result.stdout}`);
      }
      walls.get(contender.name)!.push(result.wall);
      if (result.inProcess !== undefined) {
        inner.set(contender.name, [...(inner.get(contender.name) ?? []), result.inProcess]);
      }
    }
  }
  return { walls, inner };
}
