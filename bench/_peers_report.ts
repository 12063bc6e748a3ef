/**
 * The table bench/peers.ts prints and writes to bench/RESULTS.md: one row per measured pair, with the
 * median of each side, the ratio taken round by round (both sides measured in the same round) as its
 * median and its spread over the rounds, the target, and under the table the measured cause of every miss.
 */
import type { SessionsResult } from "./_peers_ssh.ts";
import { median } from "./_peers_run.ts";

/** One row: Iridium against a peer, or a figure of Iridium's alone (no peer, no ratios). */
export interface Row {
  workload: string;
  iridium: string;
  peer: string;
  peerValue: string;
  /** Iridium / peer, one per round. */
  ratios: number[];
  target?: number;
}

/** The rows of a run, in order, and the workload names of the ones that missed their target. */
export class Report {
  readonly rows: Row[] = [];
  readonly missed = new Set<string>();
  readonly notes: string[] = [];
  /** Rows of Iridium's own figures against a fixed goal (W6), already judged. */
  readonly #figures: string[] = [];

  /** A row from per-round milliseconds of both sides (index k of each from round k). */
  add(workload: string, iridiumMs: number[], peer: string, peerMs: number[], target?: number): Row {
    const row: Row = {
      workload,
      iridium: `${median(iridiumMs).toFixed(1)} ms`,
      peer,
      peerValue: `${median(peerMs).toFixed(1)} ms`,
      ratios: iridiumMs.map((ms, k) => ms / peerMs[k]),
      target,
    };
    this.rows.push(row);
    return row;
  }

  /** A row of Iridium's own figure against a fixed goal, e.g. a latency bound; `met` judged by the caller. */
  figure(workload: string, value: string, goal: string, met: boolean): void {
    if (!met) this.missed.add(workload);
    this.#figures.push(`| ${workload} | ${value} | | | | ${goal} | ${met ? "yes" : "no"} |`);
  }

  /** The markdown table, noting every missed target. */
  table(sessions: readonly SessionsResult[]): string {
    const lines = [
      "| workload | Iridium (median) | peer | peer (median) | Iridium / peer: median (spread) | target | met |",
      "|---|---|---|---|---|---|---|",
    ];
    for (const row of this.rows) {
      const ratio = row.ratios.length === 0 ? "" : median(row.ratios);
      const spread = row.ratios.length === 0
        ? ""
        : `${(ratio as number).toFixed(3)} (${Math.min(...row.ratios).toFixed(3)}-${
          Math.max(...row.ratios).toFixed(3)
        })`;
      let met = "";
      if (row.target !== undefined) {
        met = (ratio as number) <= row.target ? "yes" : "no";
        if (met === "no") this.missed.add(row.workload);
      }
      const target = row.target === undefined ? "" : `≤ ${row.target}`;
      lines.push(
        `| ${row.workload} | ${row.iridium} | ${row.peer} | ${row.peerValue} | ${spread} | ${target} | ${met} |`,
      );
    }
    for (const s of sessions) lines.push(...this.#sessionRows(s));
    lines.push(...this.#figures);
    return lines.join("\n");
  }

  #sessionRows(s: SessionsResult): string[] {
    const lines: string[] = [];
    const how = s.spreadMs === 0 ? "all commands at once" : `commands spread over ${s.spreadMs} ms`;
    const latency = (label: string, p50: number, p99: number) => {
      const workload = `W5 ${s.count} concurrent Iridium sessions, ${label}: p50 / p99 exec latency`;
      if (p99 >= 100) this.missed.add(workload);
      lines.push(
        `| ${workload} | ${p50.toFixed(1)} / ${p99.toFixed(1)} ms | | | | p99 < 100 ms | ${
          p99 < 100 ? "yes" : "no"
        } |`,
      );
    };
    const [first, ...later] = s.bursts;
    const cpu = (b: { serverCpuMs: number; clientCpuMs: number }) =>
      `${b.serverCpuMs.toFixed(0)} / ${b.clientCpuMs.toFixed(0)} ms`;
    if (later.length === 0) latency(how, first.p50, first.p99);
    else {
      latency(`${how}, first burst after the server started`, first.p50, first.p99);
      latency(
        `${how}, bursts 2-${s.bursts.length} (medians)`,
        median(later.map((b) => b.p50)),
        median(later.map((b) => b.p99)),
      );
      const laterCpu = {
        serverCpuMs: median(later.map((b) => b.serverCpuMs)),
        clientCpuMs: median(later.map((b) => b.clientCpuMs)),
      };
      lines.push(
        `| W5 CPU time of one burst, server process / load generator: first; later (medians) | ${
          cpu(first)
        }; ${cpu(laterCpu)} | | | | | |`,
      );
    }
    lines.push(
      `| W5 server RSS idle / with ${s.count} sessions (logins took ${s.allLoggedInMs.toFixed(0)} ms) | ${
        (s.idleRssKib / 1024).toFixed(0)
      } / ${(s.peakRssKib / 1024).toFixed(0)} MiB | | | | | |`,
    );
    return lines;
  }

  /** The measured cause of every missed target (CAUSES), as a list; call after table(). */
  causes(causes: readonly [string, string][]): string {
    const missed = [...this.missed];
    const lines = [];
    for (const name of missed) {
      const cause = causes.find(([prefix]) => name.startsWith(prefix));
      lines.push(`- Missed: ${name}: ${cause ? cause[1] : "no cause measured yet"}`);
    }
    return lines.join("\n");
  }
}
