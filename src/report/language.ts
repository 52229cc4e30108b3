// The language oomsleuth speaks to people. Enum values, keys and codes never change with it; only prose does.
// Scripts read the JSON: its prose follows an explicit `--lang` only, never the locale, so a zh_CN login shell
// does not change what a cron job parses.
import { option } from '../options/option-spec.js';
import { oneOf } from '../options/text.js';

export type Language = 'en' | 'zh';

export const LANGUAGES: readonly Language[] = ['en', 'zh'];

/** The language of the locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`, as POSIX orders them): `zh_*` is Chinese. */
export function localeLanguage(env: Readonly<Record<string, string | undefined>>): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh(?:[_.@-]|$)/i.test(locale) ? 'zh' : 'en';
}

/** The languages a command speaks, worked out once by its config loader. */
export interface Languages {
  /** To people: the terminal report, stderr, chat alerts. `--lang`, else the locale's. */
  readonly language: Language;
  /** The prose inside JSON (`says`, summaries): `--lang`, else English, whatever the locale. */
  readonly jsonLanguage: Language;
}

/** From `--lang` (undefined when not given) and the environment's locale. */
export function chooseLanguages(
  flag: Language | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Languages {
  return { language: flag ?? localeLanguage(env), jsonLanguage: flag ?? 'en' };
}

/** `--lang en|zh`, declared once for analyze, guard, watch and incidents. */
export const LANG_OPTION = option(
  '--lang <language>',
  'language of the report, messages and alerts; when given, also of the prose in the JSON',
  oneOf(LANGUAGES),
  { defaultHelp: "the locale's (LC_ALL, LC_MESSAGES, LANG: zh_* is zh), the JSON's prose English" },
);
