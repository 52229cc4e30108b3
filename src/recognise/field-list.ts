// Reads numbers out of `key:value` / `key=value` lists by name, so added, removed or reordered fields do no harm.

/** A reader for one field name: `readField(text)` → the number after `key` + separator, or null when absent. */
export type FieldReader = (text: string) => number | null;

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Builds a reader for `key` followed by `:` or `=` (and an optional space), e.g. `anon-rss:64768kB`, `order=0`,
 * `UID 0`. The key must start the text or follow a space/comma, so `oom_score_adj` never reads `score_adj`.
 */
export function fieldReader(key: string, separators = ':='): FieldReader {
  const pattern = new RegExp(
    `(?:^|[\\s,])${escapeForRegExp(key)}[${escapeForRegExp(separators)}] ?(?<value>-?\\d+)`,
  );
  return (text) => {
    const value = pattern.exec(text)?.groups?.value;
    return value === undefined ? null : toNumber(value);
  };
}

/** A decimal string as a number; null when it does not fit exactly (glued PIDs, absurd values). */
export function toNumber(digits: string | undefined): number | null {
  if (digits === undefined || digits === '') return null;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : null;
}
