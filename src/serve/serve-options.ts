// serve's flags, declared once: src/cli/serve.ts registers them with commander (--help), loadServeConfig validates
// them. Loaded at every start of the CLI, so it imports the option parsers and nothing else.

import { listenAddress } from '../options/network.js';
import { option } from '../options/option-spec.js';
import { nonEmpty } from '../options/text.js';
import { zone } from '../options/time.js';

export const SERVE_OPTIONS = {
  db: option('--db <file>', 'SQLite store that watch writes', nonEmpty('a file name'), {
    defaultHelp: '$XDG_STATE_HOME/oomsleuth/oomsleuth.db, as root /var/lib/oomsleuth/oomsleuth.db',
  }),
  listen: option(
    '--listen <address>',
    'HOST:PORT or PORT to serve on; an address other than loopback needs --token or --token-file',
    listenAddress,
    { default: '127.0.0.1:8765' },
  ),
  token: option(
    '--token <secret>',
    'require this token (Authorization: Bearer, or ?token= once in the browser); seen by ps — prefer --token-file',
    nonEmpty('a token'),
  ),
  tokenFile: option(
    '--token-file <file>',
    'read the token from this file (first line)',
    nonEmpty('a file name'),
  ),
  tz: option('--tz <zone>', 'IANA zone for times without an offset in the filters', zone, {
    defaultHelp: "this machine's zone",
  }),
} as const;
