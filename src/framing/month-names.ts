// English three-letter month names, as syslog (%b), journalctl short and dmesg -T (C locale) print them.

const MONTHS = new Map<string, number>(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((name, index) => [
    name,
    index + 1,
  ]),
);

/** 1–12 for `Jan`…`Dec` (any case); null for anything else. */
export function monthFromEnglishName(name: string): number | null {
  if (name.length !== 3) return null;
  return MONTHS.get(name.toLowerCase()) ?? null;
}
