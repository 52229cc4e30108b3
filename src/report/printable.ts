// Log text is written by whoever can write a log line or name a process: it must reach a terminal, a file or a chat
// as text, never as a command. Every place text leaves oomsleuth for a person (the terminal report, `incidents show`,
// check.log, stderr, chat alerts) passes it through `printable`: C0 and C1 control characters are removed, and the
// escape sequences they start — CSI (colours, cursor moves, screen clears), OSC (window titles, hyperlinks: ESC ] 8 ;;
// URL BEL), DCS/SOS/PM/APC strings — are removed whole, so no payload is left behind as text either. A tab is kept (it
// only moves the cursor right); a line break becomes a space (a log line stays one line: a forged second line could
// pass for oomsleuth's own). The JSON outputs are not touched: JSON.stringify escapes every control character, and the
// contract's `text` is the line as found.

// ESC [ params intermediates final | 0x9B (C1 CSI) …
const CSI = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?/g;
// ESC ] / ESC P / ESC X / ESC ^ / ESC _ (or their C1 forms) … up to BEL or ST (ESC \ or 0x9C), or the end of the text.
const STRING_SEQUENCE = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?/g;
// ESC and the one character after it (ESC c resets the terminal, ESC 7/8 save and restore the cursor, …).
const ESCAPE_PAIR = /\x1b[\x20-\x7e]?/g;
const LINE_BREAKS = /[\n\v\f\r]+/g;
// Whatever control character is left: C0 but the tab, DEL, C1.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;
const ANY_CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;

/** `text` without control characters or the escape sequences they start; the same string when it has none. */
export function printable(text: string): string {
  if (!ANY_CONTROL.test(text)) return text;
  return text
    .replace(STRING_SEQUENCE, '')
    .replace(CSI, '')
    .replace(ESCAPE_PAIR, '')
    .replace(LINE_BREAKS, ' ')
    .replace(CONTROL, '');
}

/** Text of several lines of oomsleuth's own (a list of problems): each line made printable, the line breaks kept. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

/** A copy of a JSON-like value (an analysis, a stored incident) with every string in it made printable. */
export function printableDeep<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map((v) => printableDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, printableDeep(v)]),
    ) as T;
  }
  return value;
}
