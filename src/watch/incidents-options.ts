// incidents' flags, declared once: src/cli/incidents.ts registers them with commander (--help),
// loadIncidentsConfig (incidents-report.ts) validates them. Loaded at every start of the CLI, so it imports the
// option parsers and nothing else.

import { CAUSES } from '../contract/analysis.js';
import { flag, option } from '../options/option-spec.js';
import { nonEmpty, oneOf } from '../options/text.js';
import { instant, zone } from '../options/time.js';
import { LANG_OPTION } from '../report/language.js';

export const INCIDENTS_OPTIONS = {
  db: option('--db <file>', 'SQLite store', nonEmpty('a file name'), {
    defaultHelp: '$XDG_STATE_HOME/oomsleuth/oomsleuth.db, as root /var/lib/oomsleuth/oomsleuth.db',
  }),
  since: option('--since <iso>', 'only deaths at or after this time', instant),
  cause: option('--cause <cause>', 'only this cause', oneOf(CAUSES)),
  json: flag('--json', 'print JSON (list: schema oomsleuth.incidents/1; show: the incident with its bundle)'),
  tz: option('--tz <zone>', 'IANA zone for the times shown', zone, { defaultHelp: "this machine's zone" }),
  lang: LANG_OPTION,
} as const;
