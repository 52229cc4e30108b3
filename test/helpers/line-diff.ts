// A short line diff of two texts, for golden-file failures and `npm run golden:update`: unified-style hunks with
// a few lines of context, `-` for the expected (old) line and `+` for the actual (new) one, cut after maxLines.

interface DiffOp {
  readonly mark: ' ' | '-' | '+';
  readonly text: string;
  /** 1-based line numbers in the old and the new text where this op sits. */
  readonly oldLine: number;
  readonly newLine: number;
}

/** Above this many cells the middle is shown as all removed then all added instead of being aligned. */
const MAX_TABLE_CELLS = 4_000_000;

/** The hunks that turn `expected` into `actual`; '' when they are equal. */
export function lineDiff(
  expected: string,
  actual: string,
  options: { context?: number; maxLines?: number } = {},
): string {
  if (expected === actual) return '';
  const context = options.context ?? 2;
  const maxLines = options.maxLines ?? 40;
  const ops = diffOps(expected.split('\n'), actual.split('\n'));
  const out: string[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.mark === ' ') {
      i++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change near it.
    const start = Math.max(0, i - context);
    let end = i;
    while (end < ops.length) {
      let next = end;
      while (next < ops.length && ops[next]!.mark === ' ') next++;
      if (next === ops.length || next - end > 2 * context) break;
      while (next < ops.length && ops[next]!.mark !== ' ') next++;
      end = next;
    }
    const stop = Math.min(ops.length, end + context);
    out.push(`@@ -${ops[start]!.oldLine} +${ops[start]!.newLine} @@`);
    for (const op of ops.slice(start, stop)) out.push(`${op.mark} ${op.text}`);
    i = stop;
  }
  if (out.length <= maxLines) return out.join('\n');
  return [...out.slice(0, maxLines), `… ${out.length - maxLines} more line(s) of diff`].join('\n');
}

/** Lines kept, removed and added, in order; the middle between the common prefix and suffix is aligned by LCS. */
function diffOps(a: readonly string[], b: readonly string[]): DiffOp[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }
  const ops: DiffOp[] = [];
  let oldLine = 1;
  let newLine = 1;
  const push = (mark: DiffOp['mark'], text: string): void => {
    ops.push({ mark, text, oldLine, newLine });
    if (mark !== '+') oldLine++;
    if (mark !== '-') newLine++;
  };
  for (const line of a.slice(0, prefix)) push(' ', line);
  const x = a.slice(prefix, a.length - suffix);
  const y = b.slice(prefix, b.length - suffix);
  const n = x.length;
  const m = y.length;
  if ((n + 1) * (m + 1) > MAX_TABLE_CELLS) {
    for (const line of x) push('-', line);
    for (const line of y) push('+', line);
  } else {
    // lcs[i * (m + 1) + j]: length of the longest common subsequence of x[i..] and y[j..].
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * (m + 1) + j] =
          x[i] === y[j]
            ? lcs[(i + 1) * (m + 1) + j + 1]! + 1
            : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && x[i] === y[j]) {
        push(' ', x[i++]!);
        j++;
      } else if (j === m || (i < n && lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!)) {
        push('-', x[i++]!);
      } else {
        push('+', y[j++]!);
      }
    }
  }
  for (const line of a.slice(a.length - suffix)) push(' ', line);
  return ops;
}
