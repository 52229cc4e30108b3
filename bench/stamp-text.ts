// Timestamps as each log writes them, all in UTC (the benchmark passes `--tz UTC`). Most lines of a big log share
// their second with the line before, so every formatter caches the text of the last second it printed.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

type Render = (d: Date) => string;

/** A per-second memo around a renderer: formatting a Date costs far more than comparing two numbers. */
function perSecond(render: Render): (ms: number) => string {
  let lastSecond = Number.NaN;
  let lastText = '';
  return (ms) => {
    const second = Math.floor(ms / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      lastText = render(new Date(second * 1000));
    }
    return lastText;
  };
}

const hms = (d: Date): string => `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;

/** RFC 3164 `%b %e %H:%M:%S`: the day padded with a space, no year, no zone. */
export function syslogStamper(): (ms: number) => string {
  return perSecond((d) => `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms(d)}`);
}

/** Go's `log` package default prefix: `2006/01/02 15:04:05`. */
export function goLogStamper(): (ms: number) => string {
  return perSecond((d) => `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} ${hms(d)}`);
}

/** `date +'%Y%m%d %H:%M:%S'`, as the old AnQiCMS start.sh stamps check.log. */
export function checkLogStamper(): (ms: number) => string {
  return perSecond((d) => `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${hms(d)}`);
}

/** nginx `$time_local` with the server in UTC: `23/Jul/2024:10:04:01 +0000`. */
export function nginxStamper(): (ms: number) => string {
  return perSecond(
    (d) => `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${hms(d)} +0000`,
  );
}

/** `2024-07-23T10:04:01`, the part of MySQL 8's error-log stamp that changes with the second. */
export function isoSecondStamper(): (ms: number) => string {
  return perSecond((d) => d.toISOString().slice(0, 19));
}

/** MySQL 8 error-log stamp: UTC with microseconds. */
export function mysqlStamp(ms: number, micros: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}Z`;
}

/** printk's `[%5lu.%06lu]` seconds-since-boot prefix. */
export function printkStamp(monoUs: number): string {
  const us = Math.round(monoUs);
  const seconds = Math.floor(us / 1e6);
  const fraction = us - seconds * 1e6;
  return `[${String(seconds).padStart(5, ' ')}.${String(fraction).padStart(6, '0')}]`;
}
