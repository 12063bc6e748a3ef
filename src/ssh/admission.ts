/**
 * Which connections the SSH server takes, in two stages as OpenSSH's sshd does. Connections that have not
 * authenticated yet are limited apart from the rest (`--ssh-max-startups START:RATE:FULL`): below START
 * every one is taken; from START on a new one is dropped at once with probability RATE %, rising linearly
 * to 100 % at FULL ("random early drop", so a flood cannot hold every slot while users who can
 * authenticate still get through some of the time); and one source address may hold at most
 * `--ssh-max-startups-per-source` of them. The random drop spares an address that holds no
 * unauthenticated connection yet: a user logging in from elsewhere than the flood gets in until FULL. Authenticated connections count against
 * `--ssh-max-connections` alone, so unauthenticated ones can never take an authorized user's place.
 */

/** `--ssh-max-startups` parsed. */
export interface StartupLimits {
  start: number;
  rate: number;
  full: number;
}

/** Parses `START:RATE:FULL` (e.g. `10:30:100`); throws Error with a one-line message when malformed. */
export function parseStartups(text: string): StartupLimits {
  const match = /^(\d+):(\d+):(\d+)$/.exec(text);
  const [start, rate, full] = match ? match.slice(1).map(Number) : [];
  if (!match || start < 1 || rate > 100 || full < start) {
    throw new Error(
      `invalid value '${text}' for '--ssh-max-startups': expected START:RATE:FULL with 1 <= START <= FULL and ` +
        `RATE <= 100, e.g. 10:30:100`,
    );
  }
  return { start, rate, full };
}

/** Where a connection stands with the admission. */
export type AdmissionState = "unauthenticated" | "authenticated" | "released";

/** The counts behind the two stages; see the module comment. */
export class Admission {
  #limits: StartupLimits;
  #perSource: number;
  #maxAuthenticated: number;
  #random: () => number;
  #unauthenticated = 0;
  #bySource = new Map<string, number>();
  #authenticated = 0;

  constructor(
    options: { startups: StartupLimits; perSource: number; maxAuthenticated: number; random?: () => number },
  ) {
    this.#limits = options.startups;
    this.#perSource = options.perSource;
    this.#maxAuthenticated = options.maxAuthenticated;
    this.#random = options.random ?? Math.random;
  }

  /** Connections not authenticated yet. */
  get unauthenticated(): number {
    return this.#unauthenticated;
  }

  /** Decides on a just-accepted socket from `source`: null when taken (it then counts), else why not. */
  admit(source: string): string | null {
    const { start, rate, full } = this.#limits;
    const n = this.#unauthenticated;
    const fromSource = this.#bySource.get(source) ?? 0;
    if (fromSource >= this.#perSource) {
      return `too many unauthenticated connections from this address (at most ${this.#perSource})`;
    }
    if (n >= full) return `too many unauthenticated connections (at most ${full})`;
    if (n >= start && fromSource > 0) {
      const dropPercent = rate + (100 - rate) * (n - start) / Math.max(1, full - start);
      if (this.#random() * 100 < dropPercent) return `random early drop (${n} unauthenticated connections)`;
    }
    this.#unauthenticated++;
    this.#bySource.set(source, (this.#bySource.get(source) ?? 0) + 1);
    return null;
  }

  /**
   * The connection from `source` authenticated: it leaves the first stage. Resolves to false when the
   * server already holds --ssh-max-connections authenticated connections (this one is then refused and
   * released).
   */
  authenticate(source: string): boolean {
    this.#leaveFirstStage(source);
    if (this.#authenticated >= this.#maxAuthenticated) return false;
    this.#authenticated++;
    return true;
  }

  /** A connection in state `state` closed. */
  release(source: string, state: AdmissionState): void {
    if (state === "unauthenticated") this.#leaveFirstStage(source);
    else if (state === "authenticated") this.#authenticated--;
  }

  #leaveFirstStage(source: string): void {
    this.#unauthenticated--;
    const left = (this.#bySource.get(source) ?? 1) - 1;
    if (left > 0) this.#bySource.set(source, left);
    else this.#bySource.delete(source);
  }
}
