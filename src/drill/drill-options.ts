// drill's flags, declared once: src/cli/drill.ts registers them, drill-config.ts validates them.
import { flag, option } from '../options/option-spec.js';
import { size } from '../options/size.js';
import { LANG_OPTION } from '../report/language.js';
import { WEBHOOK_OPTIONS } from '../watch/webhook-options.js';

export const DRILL_OPTIONS = {
  ...WEBHOOK_OPTIONS,
  memoryLimit: option(
    '--memory-limit <size>',
    "the drill cgroup's limit: the hog is killed when it reaches it",
    size({ min: '8M', why: 'below that the shell alone may not start' }),
    { default: '32M' },
  ),
  json: flag('--json', 'print the drill report as JSON (schema oomsleuth.drill/1) on stdout'),
  lang: LANG_OPTION,
} as const;
