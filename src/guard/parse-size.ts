// Sizes as operators write them for memory limits: `512M`, `2G`, `1.5G`, `512MiB`, `65536K` — powers of 1024, as
// systemd's MemoryMax= and the cgroup files mean them.

const SIZE = /^(?<number>\d+(?:\.\d+)?)\s*(?<unit>[kKmMgGtT]?)(?:i?[bB])?$/;
const UNIT_BYTES: Readonly<Record<string, number>> = {
  '': 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

/** Bytes of a size like `512M`; null when the text is not one (no unit means bytes). */
export function parseSize(text: string): number | null {
  const groups = SIZE.exec(text.trim())?.groups;
  if (groups === undefined) return null;
  const unit = UNIT_BYTES[(groups.unit ?? '').toLowerCase()];
  if (unit === undefined) return null;
  const bytes = Math.round(Number(groups.number) * unit);
  return Number.isSafeInteger(bytes) ? bytes : null;
}
