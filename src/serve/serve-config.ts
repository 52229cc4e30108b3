// serve's options, validated once at the edge. The rule that matters: any address but loopback needs a token, and
// serve refuses to start without one — the dashboard shows log lines, process names and memory of this machine.
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { machineZone } from '../clock/zone.js';
import { Problems } from '../options/problems.js';
import { freezeConfig, validateOptions } from '../options/validate.js';
import { defaultStorePath } from '../store/default-path.js';
import { SERVE_OPTIONS } from './serve-options.js';

export interface ServeConfig {
  readonly db: string;
  readonly host: string;
  readonly port: number;
  /** Null only on a loopback address with no token given. */
  readonly token: string | null;
  readonly zone: string;
}

/** A token shorter than this is guessable; refused rather than trusted. */
const MIN_TOKEN_LENGTH = 16;

export async function loadServeConfig(flags: Record<string, unknown>): Promise<ServeConfig> {
  const problems = new Problems('serve');
  const { values } = await validateOptions(SERVE_OPTIONS, flags, problems);
  let token = values.token ?? null;
  if (values.token && values.tokenFile) problems.usage('--token and --token-file both given: give one');
  if (values.tokenFile) {
    try {
      token = (await readFile(values.tokenFile, 'utf8')).split('\n')[0]!.trim();
      if (token === '')
        problems.usage(`--token-file ${values.tokenFile} is empty: write the token on its first line`);
    } catch (error) {
      problems.usage(`--token-file ${values.tokenFile} cannot be read: ${(error as Error).message}`);
    }
  }
  if (token !== null && token !== '' && token.length < MIN_TOKEN_LENGTH) {
    problems.usage(
      `the token is ${token.length} characters: use ${MIN_TOKEN_LENGTH} or more (e.g. \`openssl rand -hex 24 > token\`)`,
    );
  }
  const listen = values.listen ?? { host: '127.0.0.1', port: 8765 };
  if (!isLoopback(listen.host) && !token) {
    problems.usage(
      `--listen ${listen.host}:${listen.port} is not a loopback address: the dashboard would show this machine's logs to the network without a password — add --token-file FILE (\`openssl rand -hex 24 > FILE\`), or listen on 127.0.0.1 and reach it through \`ssh -L\``,
    );
  }
  problems.throwIfAny();
  return freezeConfig({
    db: values.db ?? defaultStorePath(),
    host: listen.host,
    port: listen.port,
    token: token || null,
    zone: values.tz ?? machineZone(),
  });
}

/** 127.0.0.0/8, ::1 and `localhost`: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return /^::ffff:127\./i.test(host);
}
