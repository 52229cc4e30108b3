// Lines arrive decoded but dirty: a CR left over from CRLF, NUL runs (zero-filled blocks after a crash), a BOM.

const NUL = '\u0000';
const BOM = 0xfeff;
const CR = '\r';
const NOT_SPACE = /\S/;

/** The line as the framers parse it: NULs and BOM removed, trailing CRs dropped. `LogRecord.text` keeps the original. */
export function cleanLineText(text: string): string {
  let clean = text;
  // A NUL run ahead of a real line is what a syslog file looks like after a power loss; the line behind it still counts.
  if (clean.includes(NUL)) clean = clean.replaceAll(NUL, '');
  if (clean.charCodeAt(0) === BOM) clean = clean.slice(1);
  let end = clean.length;
  while (end > 0 && clean[end - 1] === CR) end -= 1;
  return end === clean.length ? clean : clean.slice(0, end);
}

/** True for an empty or whitespace-only line. */
export function isBlankLine(text: string): boolean {
  return !NOT_SPACE.test(text);
}

/** True when the line starts with a space or a tab: dmesg/journal indent the continuation lines of a multi-line record. */
export function isIndented(text: string): boolean {
  const first = text.charCodeAt(0);
  return first === 0x20 || first === 0x09;
}
