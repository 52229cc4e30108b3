// doctor's flags, declared once: src/cli/doctor.ts registers them, runDoctor's caller validates them.
import { flag, option } from '../options/option-spec.js';
import { nonEmpty } from '../options/text.js';

export const DOCTOR_OPTIONS = {
  root: option(
    '--root <dir>',
    'read every file under this folder instead of / (a copy of /etc, /proc/sys, /var)',
    nonEmpty('a folder'),
    {
      defaultHelp: '/',
    },
  ),
  json: flag('--json', 'print the report as JSON (schema oomsleuth.doctor/1) on stdout'),
} as const;
