// Month names as strftime's `%b` prints them: syslog and dmesg -T in the C locale, but journalctl and dmesg follow
// the locale of whoever ran them (`LANG=ru_RU.UTF-8 journalctl` prints `ноя 05`, zh_CN `11月 05`, ja_JP ` 5月 05`).

/**
 * glibc's abbreviated month names (`locale abmon` and `ab_alt_mon`, glibc 2.36), plus the older spellings of the same
 * locales (fr `fév`/`avr`/`jui`/`aoû` and ru `май`/`Янв` before glibc 2.27, de `Mrz`), January first. Words are
 * compared in lower case without a trailing dot; no word means two different months across these locales.
 */
const MONTH_WORDS: readonly (readonly string[])[] = [
  // en, de, nl, fr, es, pt, it, pl, cs, tr, ru, uk
  ['jan', 'janv', 'ene', 'gen', 'sty', 'led', 'oca', 'янв', 'січ'],
  ['feb', 'févr', 'fév', 'fev', 'lut', 'úno', 'şub', 'фев', 'лют'],
  ['mar', 'mär', 'mrz', 'mrt', 'mars', 'bře', 'мар', 'бер'],
  ['apr', 'avril', 'avr', 'abr', 'kwi', 'dub', 'nis', 'апр', 'кві'],
  ['may', 'mai', 'mei', 'mag', 'maj', 'kvě', 'мая', 'май', 'тра'],
  ['jun', 'juin', 'giu', 'cze', 'čen', 'haz', 'июн', 'чер'],
  ['jul', 'juil', 'jui', 'lug', 'lip', 'čec', 'tem', 'июл', 'лип'],
  ['aug', 'août', 'aoû', 'ago', 'sie', 'srp', 'ağu', 'авг', 'сер'],
  ['sep', 'sept', 'set', 'wrz', 'zář', 'eyl', 'сен', 'вер'],
  ['oct', 'okt', 'out', 'ott', 'paź', 'říj', 'eki', 'окт', 'жов'],
  ['nov', 'lis', 'kas', 'ноя', 'лис'],
  ['dec', 'dez', 'déc', 'dic', 'gru', 'pro', 'ara', 'дек', 'гру'],
];

const BY_WORD = new Map<string, number>();
MONTH_WORDS.forEach((words, index) => {
  for (const word of words) BY_WORD.set(word, index + 1);
});

/** zh, ja, ko: the month number and 月/월 (`11月`, ja/ko ` 5月` padded with a space). */
const NUMBERED_MONTH = /^ ?(?<number>\d{1,2})[月월]$/;
/** A month word as a regex fragment for stamp parsers: a word of letters (maybe ending in a dot) or a numbered month. */
export const MONTH_TOKEN = String.raw`(?:\p{L}{2,6}\.?| ?\d{1,2}[月월])`;

/** 1–12 for a month as `%b` prints it in any of the locales above (`Nov`, `nov.`, `ноя`, `déc.`, `11月`); else null. */
export function monthFromName(name: string): number | null {
  if (name.length === 0 || name.length > 7) return null;
  const numbered = NUMBERED_MONTH.exec(name)?.groups?.number;
  if (numbered !== undefined) {
    const month = Number(numbered);
    return month >= 1 && month <= 12 ? month : null;
  }
  const word = (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
  return BY_WORD.get(word) ?? null;
}
