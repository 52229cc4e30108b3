// Sizes for people: kB from the kernel → MiB/GiB.

/** `3987654` kB → `3.8 GiB`; `65536` → `64 MiB`; small values stay in kB. */
export function formatKb(kb: number): string {
  if (kb >= 1024 * 1024) return `${(kb / 1024 / 1024).toFixed(1)} GiB`;
  if (kb >= 1024) return `${Math.round(kb / 1024)} MiB`;
  return `${kb} kB`;
}

/** `3723000` ms → `1h2m`; `14000` → `14s`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  return `${Math.floor(h / 24)}d${h % 24 ? `${h % 24}h` : ''}`;
}

/** A life's length: to the hundredth of a second when short (a crash loop), else as `3h12m`. */
export function formatUptime(ms: number): string {
  return ms < 10_000 ? formatSeconds(ms) : formatDuration(ms);
}

/** `0.2s`, `3s`, `1m30s`. */
export function formatSeconds(ms: number): string {
  if (ms < 10_000)
    return `${(Math.max(0, ms) / 1000).toFixed(ms < 1000 ? 2 : 1).replace(/\.?0+$/, '') || '0'}s`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
}
