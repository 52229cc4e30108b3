// analyze's flags, declared once: src/cli/analyze.ts registers them with commander (--help), src/config.ts validates
// them. Loaded at every start of the CLI, so it imports the option parsers and nothing else.
import { flag, option } from '../options/option-spec.js';
import { nonEmpty, oneOf } from '../options/text.js';
import { instant, when, year, zone } from '../options/time.js';
import { LANG_OPTION } from '../report/language.js';

export const ANALYZE_OPTIONS = {
  app: option('--app <name>', 'process to focus on', nonEmpty('a process name'), {
    defaultHelp: 'the name in the guardian log, else every OOM-killed process',
  }),
  tz: option('--tz <zone>', 'IANA zone for stamps without an offset', zone, {
    defaultHelp: "this machine's zone",
  }),
  year: option('--year <yyyy>', 'year for syslog stamps without one', year, {
    defaultHelp: 'inferred from other sources and file times',
  }),
  bootTime: option('--boot-time <iso>', 'wall-clock time of the boot, for dmesg monotonic stamps', instant, {
    defaultHelp: 'inferred',
  }),
  since: option(
    '--since <time>',
    'ignore deaths and kills before this time (ISO 8601, "2024-07-23 10:00", -1h, yesterday…)',
    when(),
  ),
  until: option('--until <time>', 'ignore deaths and kills after this time (as --since)', when()),
  machine: flag(
    '--machine',
    "also read this machine's kernel and system logs (journal, dmesg, /var/log) and its boot time (/proc/stat); the default with no PATH",
  ),
  json: flag('--json', 'print the JSON document (schema oomsleuth.analysis/1) and nothing else on stdout'),
  html: option(
    '--html <file>',
    'also write the report as one self-contained HTML page (timeline, evidence, task table; opens offline)',
    nonEmpty('a file name'),
  ),
  failOn: option(
    '--fail-on <what>',
    'exit 1 when an incident is an OOM kill (oom) or any process was OOM-killed (any-oom)',
    oneOf(['oom', 'any-oom']),
  ),
  lang: LANG_OPTION,
} as const;
