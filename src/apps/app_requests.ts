/**
 * Answers application requests (src/repl/app_request.ts) from the supervisor: handleAppRequest() runs one
 * and resolves to the text to print.
 */
import { decodeIro } from "../bytecode/loader.ts";
import type { AppRequest } from "../repl/app_request.ts";
import { checkAppAccess } from "./app_access.ts";
import type { AppStatus, Supervisor } from "./supervisor.ts";

/** Runs `request`; resolves to the text to print, rejects with a one-line Error. */
export async function handleAppRequest(supervisor: Supervisor, request: AppRequest): Promise<string> {
  checkAppAccess(request.actor, request);
  switch (request.action) {
    case "list": {
      const { grant } = request;
      const list = supervisor.list();
      return formatAppList(grant.role === "admin" ? list : list.filter((a) => grant.apps.includes(a.name)));
    }
    case "start":
      return `${await supervisor.startApp(request.name)}\n`;
    case "stop":
      return `${supervisor.stopApp(request.name)}\n`;
    case "restart":
      return `${await supervisor.restartApp(request.name)}\n`;
    case "logs": {
      const text = await supervisor.logs(request.name);
      return text === "" || text.endsWith("\n") ? text : `${text}\n`;
    }
    case "remove":
      await supervisor.remove(request.name);
      return `removed '${request.name}'\n`;
    case "deploy": {
      const decoded = decodeIro(request.iro);
      if (!decoded.ok) throw new Error(decoded.error);
      const settings = await supervisor.deploy(request.name, decoded.program, request.restart, {
        name: request.actor,
        grant: request.grant,
      });
      return `deployed '${request.name}' (restart ${settings.restart})\n`;
    }
  }
}

function formatUptime(ms: number | undefined): string {
  if (ms === undefined) return "-";
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60}s`;
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
}

/** `!apps` as text: a header and one row per application. */
export function formatAppList(list: readonly AppStatus[]): string {
  if (list.length === 0) return "no applications; deploy one with '!deploy NAME PATH'\n";
  const rows = list.map((a) => [
    a.name,
    a.state,
    a.pid === undefined ? "-" : String(a.pid),
    String(a.restarts),
    formatUptime(a.uptimeMs),
    a.lastFault ?? "-",
  ]);
  const header = ["NAME", "STATE", "PID", "RESTARTS", "UPTIME", "LAST FAULT"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}
