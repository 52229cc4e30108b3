// `watch` options validated once at the edge, every problem reported together (exit 2), then frozen. Checked by hand,
// as analyze's are (src/config.ts). Webhook URLs and secrets may also come from the environment, so that they stay
// out of the process list and the unit file: OOMSLEUTH_WEBHOOK (one or more URLs) and OOMSLEUTH_WEBHOOK_SECRET.
import { stat } from 'node:fs/promises';
import {
  formatForHost,
  isWebhookFormat,
  makeWebhook,
  parseWebhookUrl,
  WEBHOOK_FORMATS,
  type Webhook,
  type WebhookFormat,
} from '../alert/webhook.js';
import { isValidZone, machineZone } from '../clock/zone.js';
import { OomsleuthError } from '../errors.js';
import { parseDuration } from '../options/duration.js';
import { defaultStorePath } from '../store/default-path.js';
import { type MetricsAddress, parseMetricsAddress } from './metrics.js';
import type { AlertOn } from './watcher.js';

export interface WatchConfig {
  readonly paths: readonly string[];
  readonly app: string | null;
  readonly appDir: string | null;
  readonly db: string;
  readonly webhooks: readonly Webhook[];
  readonly alertOn: AlertOn;
  readonly settleMs: number;
  readonly metrics: MetricsAddress | null;
  readonly json: boolean;
  readonly zone: string;
  readonly guardIncidents: string | null;
  readonly retryMaxMs: number;
  /** Deaths of one process closer than this to the previous one are held for a crash-loop summary (0: never). */
  readonly crashLoopMs: number;
}

export const DEFAULT_SETTLE = '90s';
export const DEFAULT_RETRY_MAX = '5m';
export const DEFAULT_CRASH_LOOP_WINDOW = '5m';

export async function loadWatchConfig(
  paths: readonly string[],
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<WatchConfig> {
  const problems: string[] = [];
  const text = (key: string): string | undefined =>
    typeof flags[key] === 'string' ? (flags[key] as string) : undefined;
  const list = (key: string): string[] =>
    Array.isArray(flags[key])
      ? (flags[key] as unknown[]).filter((v): v is string => typeof v === 'string')
      : [];

  if (paths.some((p) => p === '')) problems.push('PATH an empty path was given');
  if (paths.includes('-')) problems.push('PATH - (stdin) cannot be followed: pass the log files');
  const app = text('app');
  if (app !== undefined && app.trim() === '') problems.push('--app needs a process name');

  const appDir = text('appDir');
  if (appDir !== undefined) {
    try {
      if (!(await stat(appDir)).isDirectory()) problems.push(`--app-dir ${appDir} is not a folder`);
    } catch {
      problems.push(
        `--app-dir ${appDir} does not exist — pass the folder that holds check.log and running.log`,
      );
    }
  }

  const tz = text('tz');
  if (tz !== undefined && !isValidZone(tz)) {
    problems.push(
      `--tz ${JSON.stringify(tz)} is not an IANA time zone (e.g. Asia/Shanghai, Europe/Berlin, UTC)`,
    );
  }

  const db = text('db');
  if (db !== undefined && db.trim() === '') problems.push('--db needs a file name');

  // Webhooks: flags, else the environment. Formats and secrets pair with them in order, or one serves all.
  let urls = list('webhook');
  if (urls.length === 0 && env.OOMSLEUTH_WEBHOOK) urls = env.OOMSLEUTH_WEBHOOK.split(/\s+/).filter(Boolean);
  const formats = list('webhookFormat');
  let secrets = list('webhookSecret');
  if (secrets.length === 0 && env.OOMSLEUTH_WEBHOOK_SECRET) secrets = [env.OOMSLEUTH_WEBHOOK_SECRET];
  for (const f of formats) {
    if (!isWebhookFormat(f))
      problems.push(`--webhook-format ${JSON.stringify(f)} must be one of ${WEBHOOK_FORMATS.join(', ')}`);
  }
  if (formats.length > 1 && formats.length !== urls.length) {
    problems.push(
      `--webhook-format given ${formats.length} times for ${urls.length} webhook(s): give it once (for all) or once per --webhook, in the same order`,
    );
  }
  if (secrets.length > 1 && secrets.length !== urls.length) {
    problems.push(
      `--webhook-secret given ${secrets.length} times for ${urls.length} webhook(s): give it once (for all) or once per --webhook, in the same order`,
    );
  }
  if (urls.length === 0 && (formats.length > 0 || secrets.length > 0)) {
    problems.push('--webhook-format and --webhook-secret need a --webhook');
  }
  const webhooks: Webhook[] = [];
  urls.forEach((raw, index) => {
    const url = parseWebhookUrl(raw);
    if (typeof url === 'string') {
      // The value may hold a token: it is named by its position, not repeated.
      problems.push(`--webhook #${index + 1} ${url}`);
      return;
    }
    const given = formats.length === 1 ? formats[0] : formats[index];
    const format: WebhookFormat = given && isWebhookFormat(given) ? given : formatForHost(url);
    const secret = (secrets.length === 1 ? secrets[0] : secrets[index]) || null;
    if (secret && (format === 'slack' || format === 'wecom')) {
      problems.push(
        `--webhook-secret for webhook #${index + 1}: ${format} webhooks are not signed (the key is in the URL); leave it out`,
      );
    }
    webhooks.push(makeWebhook(url, format, secret, index));
  });
  if (new Set(webhooks.map((w) => w.key)).size !== webhooks.length)
    problems.push('--webhook the same webhook is given twice');

  const alertOn = text('alertOn') ?? 'app';
  if (alertOn !== 'app' && alertOn !== 'any') problems.push(`--alert-on must be 'app' or 'any'`);

  const duration = (flag: string, key: string, fallback: string, min: number): number => {
    const value = text(key) ?? fallback;
    const ms = parseDuration(value);
    if (ms === null)
      problems.push(`${flag} ${JSON.stringify(value)} is not a duration (e.g. 90s, 2m, 1m30s)`);
    else if (ms < min) problems.push(`${flag} must be at least ${min / 1000}s`);
    return ms ?? 0;
  };
  const settleMs = duration('--settle', 'settle', DEFAULT_SETTLE, 0);
  const retryMaxMs = duration('--alert-retry-max', 'alertRetryMax', DEFAULT_RETRY_MAX, 1_000);
  const crashLoopText = text('crashLoopWindow');
  const crashLoopMs =
    crashLoopText === '0'
      ? 0
      : duration('--crash-loop-window', 'crashLoopWindow', DEFAULT_CRASH_LOOP_WINDOW, 1_000);

  const metricsText = text('metrics');
  let metrics: MetricsAddress | null = null;
  if (metricsText !== undefined) {
    metrics = parseMetricsAddress(metricsText);
    if (metrics === null) {
      problems.push(
        `--metrics ${JSON.stringify(metricsText)} is not HOST:PORT or PORT (e.g. 127.0.0.1:9464)`,
      );
    }
  }

  const guardIncidents = text('guardIncidents');
  if (guardIncidents !== undefined && guardIncidents.trim() === '')
    problems.push('--guard-incidents needs a file name');

  if (problems.length > 0) {
    throw new OomsleuthError(
      'OOMS_E_USAGE',
      `invalid options:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return Object.freeze({
    paths: Object.freeze([...paths]),
    app: app ?? null,
    appDir: appDir ?? null,
    db: db ?? defaultStorePath(env),
    webhooks: Object.freeze(webhooks),
    alertOn: alertOn as AlertOn,
    settleMs,
    metrics,
    json: flags.json === true,
    zone: tz ?? machineZone(),
    guardIncidents: guardIncidents ?? null,
    retryMaxMs,
    crashLoopMs,
  });
}
