// Sizes as operators write them for memory limits: `512M`, `2G`, `1.5G`, `512MiB`, `65536K` — powers of 1024, as
// systemd's MemoryMax= and the cgroup files mean them.
import { invalid, type Parser, valid } from './option-spec.js';

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

/** A size option, in bytes, of at least `min` (written as a size, `4M`); `why` says what a smaller one would do. */
export function size(limits: { readonly min: string; readonly why?: string }): Parser<number> {
  const minBytes = parseSize(limits.min);
  if (minBytes === null) throw new Error(`size minimum ${limits.min} is not a size`);
  const why = limits.why === undefined ? '' : `, ${limits.why}`;
  return (text) => {
    const bytes = parseSize(text);
    if (bytes === null) return invalid(`${JSON.stringify(text)} is not a size: e.g. 512M, 2G, 1.5G`);
    if (bytes < minBytes) return invalid(`${text} is too small: at least ${limits.min}${why}`);
    return valid(bytes);
  };
}
