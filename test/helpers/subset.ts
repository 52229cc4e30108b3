// Compares a JSON document with an expectation that lists only what matters: objects as subsets, arrays by
// length and order, ISO times as instants (so `+08:00` and `Z` spellings of one moment are equal) to within the
// second, since most log stamps carry whole seconds and expectations are written that way.

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Every difference, as `path: expected X, got Y`; empty when `actual` satisfies `expected`. */
export function subsetMismatches(actual: unknown, expected: unknown, path = '$'): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${show(actual)}`];
    if (actual.length !== expected.length) {
      return [`${path}: expected ${expected.length} item(s), got ${actual.length}: ${show(actual)}`];
    }
    return expected.flatMap((item, i) => subsetMismatches(actual[i], item, `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object')
      return [`${path}: expected an object, got ${show(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) =>
      subsetMismatches((actual as Record<string, unknown>)[key], value, `${path}.${key}`),
    );
  }
  if (
    typeof expected === 'string' &&
    typeof actual === 'string' &&
    ISO_TIME.test(expected) &&
    ISO_TIME.test(actual)
  ) {
    return Math.abs(Date.parse(expected) - Date.parse(actual)) < 1000
      ? []
      : [`${path}: expected ${expected}, got ${actual}`];
  }
  return Object.is(actual, expected) ? [] : [`${path}: expected ${show(expected)}, got ${show(actual)}`];
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
