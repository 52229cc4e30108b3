// When to restart after a death: at once after a life that was stable, and with a growing delay while the child
// keeps dying young (a crash loop), so a child that dies at start never makes a busy loop.

export interface BackoffPolicy {
  /** Delay before the second restart in a row of short lives; it doubles each time after. */
  readonly initialMs: number;
  readonly maxMs: number;
  /** A life at least this long was stable: the next death restarts at once and the count starts over. */
  readonly stableAfterMs: number;
  /** Give up after this many restarts in a row of short lives; null: never. */
  readonly maxRestarts: number | null;
}

export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({
  initialMs: 1000,
  maxMs: 60_000,
  stableAfterMs: 60_000,
  maxRestarts: null,
});

export type RestartDecision =
  | { readonly restart: true; readonly delayMs: number; readonly shortLivesInARow: number }
  | { readonly restart: false; readonly shortLivesInARow: number };

/** Keeps the count of short lives in a row and decides each restart. */
export class Backoff {
  private shortLives = 0;

  constructor(private readonly policy: BackoffPolicy) {}

  /** The decision after a death of a child that lived `uptimeMs`. */
  afterDeath(uptimeMs: number): RestartDecision {
    if (uptimeMs >= this.policy.stableAfterMs) this.shortLives = 0;
    else this.shortLives++;
    const { maxRestarts } = this.policy;
    // The first child's short life and N restarted children's short lives make N + 1 in a row.
    if (maxRestarts !== null && this.shortLives > maxRestarts) {
      return { restart: false, shortLivesInARow: this.shortLives };
    }
    return { restart: true, delayMs: this.delayFor(this.shortLives), shortLivesInARow: this.shortLives };
  }

  // 0 (a death after a stable life, or the first short one), then initial, 2×initial, … up to the cap.
  private delayFor(shortLives: number): number {
    if (shortLives <= 1) return 0;
    return Math.min(this.policy.maxMs, this.policy.initialMs * 2 ** Math.min(shortLives - 2, 30));
  }
}
