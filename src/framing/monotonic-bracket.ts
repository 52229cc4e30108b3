// The kernel's printk stamp `[  127.553604]`: seconds since boot, width-padded (dmesg, syslog via imklog, journal short-monotonic).

const BRACKET = /^\[\s*(?<seconds>\d{1,12}\.\d{1,9})\](?: ?\[\s*(?<caller>[TC]\d{1,10})\])? ?(?<body>.*)$/s;

export interface MonotonicPrefix {
  readonly seconds: number;
  /** What follows the stamp (and the optional CONFIG_PRINTK_CALLER `[T123]` field), one separating space removed. */
  readonly body: string;
}

/** `[  127.553604] text` → { seconds: 127.553604, body: 'text' }; null when the text does not start with such a stamp. */
export function splitMonotonicPrefix(text: string): MonotonicPrefix | null {
  if (text.charCodeAt(0) !== 0x5b) return null;
  const groups = BRACKET.exec(text)?.groups;
  if (groups === undefined) return null;
  return { seconds: Number(groups.seconds), body: groups.body ?? '' };
}
