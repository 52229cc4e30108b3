// watch's flags, declared once: src/cli/watch.ts registers them with commander (--help), watch-config.ts validates
// them. Loaded at every start of the CLI, so it imports the option parsers and nothing else.
import { duration } from '../options/duration.js';
import { listenAddress } from '../options/network.js';
import { flag, option } from '../options/option-spec.js';
import { nonEmpty, oneOf } from '../options/text.js';
import { zone } from '../options/time.js';
import { LANG_OPTION } from '../report/language.js';
import { WEBHOOK_OPTIONS } from './webhook-options.js';

const fileName = nonEmpty('a file name');

export const WATCH_OPTIONS = {
  app: option('--app <name>', 'process to focus on', nonEmpty('a process name'), {
    defaultHelp: 'the name in the guardian log, else every OOM-killed process',
  }),
  appDir: option(
    '--app-dir <dir>',
    'folder holding the guardian log (check.log) and the app log (running.log)',
    nonEmpty('a folder'),
  ),
  db: option('--db <file>', 'SQLite store', fileName, {
    defaultHelp: '$XDG_STATE_HOME/oomsleuth/oomsleuth.db, as root /var/lib/oomsleuth/oomsleuth.db',
  }),
  ...WEBHOOK_OPTIONS,
  alertOn: option(
    '--alert-on <what>',
    'alert on deaths of the app (app) or on any OOM kill too (any)',
    oneOf(['app', 'any']),
    { default: 'app' },
  ),
  settle: option(
    '--settle <duration>',
    'how long a death seen without a kill record waits for one',
    duration(),
    {
      default: '90s',
    },
  ),
  metrics: option(
    '--metrics <host:port>',
    'serve Prometheus metrics at /metrics (PORT alone binds 127.0.0.1)',
    listenAddress,
  ),
  json: flag('--json', 'print each final incident as one JSON line on stdout'),
  tz: option('--tz <zone>', 'IANA zone for stamps without an offset', zone, {
    defaultHelp: "this machine's zone",
  }),
  guardIncidents: option(
    '--guard-incidents <file>',
    "oomsleuth guard's --incidents file, for memory samples",
    fileName,
    { defaultHelp: 'DIR/incidents.jsonl of --app-dir' },
  ),
  alertRetryMax: option(
    '--alert-retry-max <duration>',
    'longest wait between two attempts to deliver an alert',
    duration({ min: '1s' }),
    { default: '5m' },
  ),
  crashLoopWindow: option(
    '--crash-loop-window <duration>',
    'a death this close to the previous one of the same process is held for one summary alert (0: alert every death)',
    duration({ min: '1s', zeroTurnsOff: true }),
    { default: '5m' },
  ),
  lang: LANG_OPTION,
} as const;
