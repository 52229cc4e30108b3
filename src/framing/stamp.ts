// Time as a carrier wrote it, before any zone, year or boot time is applied.

/** Wall-clock fields without a zone (syslog, check.log, Go log, journal short). `year` is null when the stamp has none. */
export interface LocalStamp {
  readonly kind: 'local';
  readonly year: number | null;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Sub-second part in milliseconds (may be fractional for µs precision). */
  readonly millis: number;
}

/** A full instant: the carrier gave an offset or counts from the epoch (RFC 3339, journal µs, dmesg --time-format iso). */
export interface InstantStamp {
  readonly kind: 'instant';
  /** Milliseconds since the Unix epoch (may be fractional). */
  readonly ms: number;
  /** True when the carrier computed the wall time itself from boot time + monotonic (dmesg -T / iso), which drifts after suspend. */
  readonly computed?: boolean;
}

/** Seconds since boot (dmesg raw, /dev/kmsg, journal _SOURCE_MONOTONIC_TIMESTAMP). */
export interface MonotonicStamp {
  readonly kind: 'monotonic';
  readonly seconds: number;
}

export interface NoStamp {
  readonly kind: 'none';
}

export type StampAsFound = LocalStamp | InstantStamp | MonotonicStamp | NoStamp;

export const NO_STAMP: NoStamp = Object.freeze({ kind: 'none' });
