// The flags of `oomsleuth guard status|stop|restart|logs`, declared once: src/cli/guard-control.ts registers them with
// commander, locateGuard validates them. Which guard: the app's folder (default: here), --name when several apps share
// it, or the --pid-file the guard was given.
import { flag, option } from '../options/option-spec.js';
import { nonEmpty } from '../options/text.js';
import { wholeNumber } from '../options/whole-number.js';

const WHICH_GUARD = {
  name: option('--name <name>', "the app's name (the guard's --name)", nonEmpty('a name'), {
    defaultHelp: 'the one NAME.guard.pid in the folder',
  }),
  pidFile: option('--pid-file <file>', "the guard's pid file, if it was given one", nonEmpty('a file name'), {
    defaultHelp: 'FOLDER/NAME.guard.pid',
  }),
} as const;

export const STATUS_OPTIONS = {
  ...WHICH_GUARD,
  json: flag('--json', 'print the status as one JSON object'),
} as const;

export const STOP_OPTIONS = WHICH_GUARD;

export const RESTART_OPTIONS = WHICH_GUARD;

export const LOGS_OPTIONS = {
  ...WHICH_GUARD,
  appLog: option(
    '--app-log <file>',
    'the app log, when no guard runs to say where it is',
    nonEmpty('a file name'),
    {
      defaultHelp: "the guard's --app-log, else FOLDER/running.log",
    },
  ),
  lines: option(
    '-n, --lines <n>',
    'how many of the last lines to print',
    wholeNumber({ min: 0, max: 1_000_000 }),
    {
      default: '100',
    },
  ),
  follow: flag('-f, --follow', 'then print each new line as it is written, across rotations, until Ctrl-C'),
} as const;
