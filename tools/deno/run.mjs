#!/usr/bin/env node
/**
 * `node tools/deno/run.mjs ARGS` runs the Deno pinned in tools/deno/package.json with ARGS, installing it
 * with npm on first use. It is the bootstrap behind `npm start` and `npm test` on a machine with Node.js and
 * npm only. The npm-installed Deno lives in tools/deno/node_modules, away from the repository root, so a
 * Deno on PATH running `deno task ...` never finds a `deno` npm package that would stand in for itself.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const windows = process.platform === "win32";
const deno = join(here, "node_modules", ".bin", windows ? "deno.cmd" : "deno");

/** The version in a package.json, or undefined when it cannot be read. */
function versionIn(path, pick) {
  try {
    return pick(JSON.parse(readFileSync(path, "utf8")));
  } catch {
    return undefined;
  }
}

const pinned = versionIn(join(here, "package.json"), (p) => p.devDependencies.deno);
const installed = versionIn(join(here, "node_modules", "deno", "package.json"), (p) => p.version);
if (installed !== pinned) {
  const npm = spawnSync(windows ? "npm.cmd" : "npm", ["install", "--no-audit", "--no-fund", "--silent"], {
    cwd: here,
    stdio: "inherit",
    shell: windows,
  });
  if (npm.status !== 0) {
    console.error(`error: npm could not install Deno ${pinned} into '${here}'`);
    process.exit(1);
  }
}

// Deno's own colours (the `Task ...` line) only on a terminal, as the rest of the output.
const env = { ...process.env };
if (!process.stderr.isTTY && env.NO_COLOR === undefined) env.NO_COLOR = "1";

// Fetch the npm packages of deno.json quietly first: Deno's first fetch of ssh2 prints a warning box about
// its build scripts, which ssh2 does not need (it falls back to pure JavaScript) and which reads like a
// setup error. Once cached this takes about 10 ms; a failure here shows again, loudly, in the real command.
spawnSync(deno, ["install", "--quiet"], { cwd: root, env, stdio: "ignore", shell: windows });

const child = spawn(deno, process.argv.slice(2), { stdio: "inherit", env, shell: windows });
// Ctrl-C reaches Deno directly from the terminal (same process group); wait for Deno to decide.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("exit", (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else {
    process.exit(code ?? 1);
  }
});
