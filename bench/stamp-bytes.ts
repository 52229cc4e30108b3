// Stamps as bytes for the generators' fast path. A GiB-a-year log has a new second on nearly every line, so
// formatting a Date per line (or caching per second) costs more than the rest of the line; instead a stamp is two
// copies: its day part (cached per day) and its `HH:MM:SS` part (one table of all 86 400 seconds).

const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `HH:MM:SS` for every second of a day, 8 bytes each. */
export const HMS_TABLE: Buffer = (() => {
  const table = Buffer.allocUnsafe(86_400 * 8);
  for (let s = 0; s < 86_400; s++) {
    table.write(`${p2(Math.floor(s / 3600))}:${p2(Math.floor(s / 60) % 60)}:${p2(s % 60)}`, s * 8, 'latin1');
  }
  return table;
})();

/** Where `HH:MM:SS` of this instant sits in HMS_TABLE (UTC). */
export function hmsOffset(ms: number): number {
  return (Math.floor(ms / 1000) % 86_400) * 8;
}

/** The text in front of `HH:MM:SS` for each stamp style, from a UTC date. */
export const DAY_PARTS = {
  /** RFC 3164 `Jul 23 ` (day padded with a space). */
  syslog: (d: Date) => `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} `,
  /** Go's log prefix `2024/07/23 `. */
  go: (d: Date) => `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} `,
  /** nginx `$time_local` `23/Jul/2024:`. */
  nginx: (d: Date) => `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:`,
  /** ISO `2024-07-23T` (MySQL's error log). */
  iso: (d: Date) => `${d.toISOString().slice(0, 11)}`,
  /** check.log `20240723 `. */
  check: (d: Date) => `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} `,
} as const;

export type DayStyle = keyof typeof DAY_PARTS;

/** The day part of one style as bytes, cached for the current day. */
export function dayPartBytes(style: DayStyle): (ms: number) => Buffer {
  const render = DAY_PARTS[style];
  let day = Number.NaN;
  let bytes = Buffer.alloc(0);
  return (ms) => {
    const d = Math.floor(ms / DAY_MS);
    if (d !== day) {
      day = d;
      bytes = Buffer.from(render(new Date(d * DAY_MS)), 'latin1');
    }
    return bytes;
  };
}
