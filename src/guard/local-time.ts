// ISO 8601 times in this machine's zone, from Date alone. The guard does not use luxon or Intl for this: the first
// Intl.DateTimeFormat loads ICU's time-zone and locale data, about 8 MiB of the guard's resident memory for life.

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2024-07-23T10:03:47+08:00` (milliseconds only when not whole seconds; `Z` in UTC), as clock/zone's formatIso. */
export function localIso(ms: number): string {
  const whole = Math.round(ms);
  const d = new Date(whole);
  const offsetMin = -d.getTimezoneOffset();
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const offset = offsetMin === 0 ? 'Z' : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  const millis = whole % 1000 === 0 ? '' : `.${pad(d.getMilliseconds(), 3)}`;
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${millis}${offset}`
  );
}
