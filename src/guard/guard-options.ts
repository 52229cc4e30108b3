// guard's flags, declared once: src/cli/guard.ts registers them with commander (--help), guard-config.ts validates
// them. Loaded at every start of the CLI, so it imports the option parsers and nothing else.
import { duration } from '../options/duration.js';
import { flag, invalid, option, type Parser, valid } from '../options/option-spec.js';
import { size } from '../options/size.js';
import { nonEmpty } from '../options/text.js';
import { wholeNumber } from '../options/whole-number.js';
import { LANG_OPTION } from '../report/language.js';

// The name starts every check.log line, which readers split on spaces.
const NAME = /^[\w.@+-]+$/;
const checkLogName: Parser<string> = (text) =>
  NAME.test(text)
    ? valid(text)
    : invalid(
        `${JSON.stringify(text)} must be one word of letters, digits, . _ - @ + (it starts every check.log line)`,
      );

const fileName = nonEmpty('a file name');

export const GUARD_OPTIONS = {
  name: option('--name <name>', 'name used in check.log lines', checkLogName, {
    defaultHelp: 'the basename of COMMAND',
  }),
  cwd: option('--cwd <dir>', "the child's working directory", nonEmpty('a folder'), {
    defaultHelp: "COMMAND's directory, as start.sh does",
  }),
  checkLog: option(
    '--check-log <file>',
    'guardian log: check.sh heartbeat lines plus one line per death and restart',
    fileName,
    { default: './check.log' },
  ),
  appLog: option('--app-log <file>', "where the child's stdout and stderr are appended", fileName, {
    default: './running.log',
  }),
  incidents: option(
    '--incidents <file>',
    'append each death as one JSON line (the incident, exit status, memory samples)',
    fileName,
  ),
  pidFile: option('--pid-file <file>', "the guard's pid file", fileName, {
    defaultHelp: 'NAME.guard.pid next to check.log',
  }),
  memoryLimit: option(
    '--memory-limit <size>',
    'run the child in a memory cgroup of its own with this limit (512M, 2G)',
    size({ min: '4M', why: 'or the app cannot start' }),
  ),
  checkInterval: option('--check-interval <duration>', 'heartbeat period', duration({ min: '1s' }), {
    default: '1m',
  }),
  sampleInterval: option(
    '--sample-interval <duration>',
    'memory sampling period',
    duration({ min: '50ms' }),
    {
      default: '5s',
    },
  ),
  sampleWindow: option(
    '--sample-window <duration>',
    'how much memory history to keep',
    duration({ min: '1s' }),
    {
      default: '1h',
    },
  ),
  warnBefore: option(
    '--warn-before <duration>',
    'warn once per life when memory is forecast to run out within this (0: never)',
    duration({ min: '1s', zeroTurnsOff: true }),
    { default: '10m' },
  ),
  stopTimeout: option(
    '--stop-timeout <duration>',
    'grace period between SIGTERM and SIGKILL when stopping',
    duration(),
    { default: '10s' },
  ),
  stableAfter: option(
    '--stable-after <duration>',
    'a life this long resets the crash-loop backoff',
    duration({ min: '100ms' }),
    { default: '1m' },
  ),
  maxRestarts: option(
    '--max-restarts <n>',
    'give up after N restarts in a row of lives shorter than --stable-after',
    wholeNumber({ min: 0, max: 999_999_999 }),
    { defaultHelp: 'never give up' },
  ),
  once: flag('--once', 'run the child once and exit with its status'),
  daemon: flag(
    '--daemon',
    'detach and run in the background (a second guard for the same app exits quietly)',
  ),
  lang: LANG_OPTION,
} as const;
