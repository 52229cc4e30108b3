// The language oomsleuth speaks to people. Enum values, keys and codes never change with it; only prose does.
// Scripts read the JSON: its prose follows an explicit `--lang` only, never the locale, so a zh_CN login shell
// does not change what a cron job parses.

export type Language = 'en' | 'zh';

export const LANGUAGES: readonly Language[] = ['en', 'zh'];

/** The language of the locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`, as POSIX orders them): `zh_*` is Chinese. */
export function localeLanguage(env: Readonly<Record<string, string | undefined>>): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh(?:[_.@-]|$)/i.test(locale) ? 'zh' : 'en';
}
