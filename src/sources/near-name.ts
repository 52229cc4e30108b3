// "Did you mean …?" for a mistyped path: the closest existing name, by edit distance.

import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Returns the candidate closest to `name` (case ignored, adjacent swaps count as one edit), or null if none is close. */
export function closestName(name: string, candidates: readonly string[]): string | null {
  const wanted = name.toLowerCase();
  // Allow about one edit per four characters, at least one, at most three.
  const limit = Math.min(3, Math.max(1, Math.floor(wanted.length / 4)));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance || (distance === bestDistance && best !== null && candidate < best)) {
      if (distance <= limit) {
        best = candidate;
        bestDistance = distance;
      }
    }
  }
  return best;
}

/**
 * Suggests an existing path for a typed one that does not exist, correcting each missing component in turn
 * (`lgos/chek.log` → `logs/check.log`). Returns the corrected path in the user's own form, or null.
 */
export async function suggestPath(typed: string): Promise<string | null> {
  const absolute = typed.startsWith('/');
  let current = absolute ? '/' : '.';
  const fixed: string[] = [];
  let changed = false;
  for (const part of typed.split('/')) {
    if (part === '' || part === '.' || part === '..') {
      if (part === '..') current = path.join(current, '..');
      if (part !== '') fixed.push(part);
      continue;
    }
    let names: string[];
    try {
      names = await readdir(current);
    } catch {
      // Only a suggestion: the path's own OOMS_E_SOURCE_NOT_FOUND is reported without one.
      return null;
    }
    const found = names.includes(part) ? part : closestName(part, names);
    if (found === null) return null;
    changed ||= found !== part;
    fixed.push(found);
    current = path.join(current, found);
  }
  if (!changed) return null;
  return (absolute ? '/' : '') + fixed.join('/');
}

/** Damerau–Levenshtein (optimal string alignment) distance, giving up above `ceiling`. */
function editDistance(a: string, b: string, ceiling: number): number {
  if (Math.abs(a.length - b.length) > ceiling) return ceiling + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    row[0] = i;
    rows.push(row);
  }
  const first = rows[0] as number[];
  for (let j = 0; j <= b.length; j++) first[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = value;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}
