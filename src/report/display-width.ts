// How wide a line is on a terminal, and how to cut it to a width: colour codes take no column, CJK and other wide
// characters take two (AnQiCMS logs are Chinese), combining marks none. A cut never splits an escape sequence and
// resets the colour it leaves open.

/** SGR and other CSI sequences picocolors and terminals use: `ESC [ params final`. */
const ESCAPE = /\x1b\[[0-9;?]*[ -/]*[@-~]/y;
const RESET = '\x1b[0m';
const ELLIPSIS = '…';

/** Code point ranges a terminal draws two columns wide (East Asian Wide and Fullwidth, emoji), from UAX #11. */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

/** Columns one code point takes: 0 for combining marks and controls, 2 for wide ones, else 1. */
export function columnsOf(codePoint: number): number {
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return 0;
  if ((codePoint >= 0x300 && codePoint <= 0x36f) || codePoint === 0x200b || codePoint === 0xfe0f) return 0;
  if (codePoint < 0x1100) return 1;
  for (const [from, to] of WIDE) {
    if (codePoint < from) return 1;
    if (codePoint <= to) return 2;
  }
  return 1;
}

/** Columns `text` takes on a terminal, escape sequences excluded. */
export function displayWidth(text: string): number {
  let width = 0;
  forEachPart(text, (part, isEscape) => {
    if (!isEscape) width += columnsOf(part.codePointAt(0) ?? 0);
  });
  return width;
}

/**
 * `text` cut to at most `width` columns, ending with `…` when cut; escape sequences are kept whole (those after the
 * cut dropped) and a colour left open by the cut is reset.
 */
export function cutToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  let coloured = false;
  let full = false;
  forEachPart(text, (part, isEscape) => {
    if (isEscape) {
      if (!full) {
        out += part;
        coloured = true;
      }
      return;
    }
    if (full) return;
    const columns = columnsOf(part.codePointAt(0) ?? 0);
    if (used + columns > width - 1) {
      full = true;
      return;
    }
    out += part;
    used += columns;
  });
  return `${out}${ELLIPSIS}${coloured ? RESET : ''}`;
}

/** Calls `visit` for each escape sequence and each code point of `text`, in order. */
function forEachPart(text: string, visit: (part: string, isEscape: boolean) => void): void {
  let at = 0;
  while (at < text.length) {
    if (text.charCodeAt(at) === 0x1b) {
      ESCAPE.lastIndex = at;
      const match = ESCAPE.exec(text);
      if (match !== null) {
        visit(match[0], true);
        at += match[0].length;
        continue;
      }
    }
    const codePoint = text.codePointAt(at) ?? 0;
    const part = String.fromCodePoint(codePoint);
    visit(part, false);
    at += part.length;
  }
}

/** `text` followed by spaces up to `width` columns (nothing when it is that wide already). */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Spaces up to `width` columns, then `text` (right-aligned; nothing added when it is that wide already). */
export function padStartToWidth(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}
