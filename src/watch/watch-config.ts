// `watch` options (declared in watch-options.ts), validated once at the edge, every problem reported together
// (exit 2), then frozen. Webhook URLs and secrets may also come from the environment, so that they stay out of the
// process list and the unit file: OOMSLEUTH_WEBHOOK (one or more URLs) and OOMSLEUTH_WEBHOOK_SECRET.
import { stat } from 'node:fs/promises';
import { makeWebhook, type Webhook } from '../alert/webhook.js';
import { formatForHost } from '../alert/webhook-format.js';
import { machineZone } from '../clock/zone.js';
import type { ListenAddress } from '../options/network.js';
import { Problems } from '../options/problems.js';
import { freezeConfig, validateOptions } from '../options/validate.js';
import { chooseLanguages, type Language } from '../report/language.js';
import { describeFsError, errnoCode } from '../sources/fs-problem.js';
import { defaultStorePath } from '../store/default-path.js';
import { WATCH_OPTIONS } from './watch-options.js';
import type { AlertOn } from './watcher.js';

export interface WatchConfig {
  readonly paths: readonly string[];
  readonly app: string | null;
  readonly appDir: string | null;
  readonly db: string;
  readonly webhooks: readonly Webhook[];
  readonly alertOn: AlertOn;
  readonly settleMs: number;
  readonly metrics: ListenAddress | null;
  readonly json: boolean;
  readonly zone: string;
  readonly guardIncidents: string | null;
  readonly retryMaxMs: number;
  /** Deaths of one process closer than this to the previous one are held for a crash-loop summary (0: never). */
  readonly crashLoopMs: number;
  /** The chat alerts' language: --lang, else the locale's. */
  readonly language: Language;
  /** The language of the prose in stored incidents, --json lines and generic webhooks: --lang, else English. */
  readonly jsonLanguage: Language;
}

export async function loadWatchConfig(
  paths: readonly string[],
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<WatchConfig> {
  const problems = new Problems('watch');
  const fromEnv: Record<string, unknown> = {};
  if (flags.webhook === undefined && env.OOMSLEUTH_WEBHOOK) {
    fromEnv.webhook = env.OOMSLEUTH_WEBHOOK.split(/\s+/).filter(Boolean);
  }
  if (flags.webhookSecret === undefined && env.OOMSLEUTH_WEBHOOK_SECRET) {
    fromEnv.webhookSecret = [env.OOMSLEUTH_WEBHOOK_SECRET];
  }
  const { values, given, invalid } = await validateOptions(WATCH_OPTIONS, { ...flags, ...fromEnv }, problems);

  if (paths.some((p) => p === '')) problems.usage('PATH an empty path was given');
  if (paths.includes('-')) problems.usage('PATH - (stdin) cannot be followed: pass the log files');

  if (values.appDir !== undefined) {
    try {
      if (!(await stat(values.appDir)).isDirectory())
        problems.usage(`--app-dir ${values.appDir} is not a folder`);
    } catch (error) {
      problems.usage(
        errnoCode(error) === 'ENOENT'
          ? `--app-dir ${values.appDir} does not exist — pass the folder that holds check.log and running.log`
          : `--app-dir ${describeFsError(values.appDir, error).message}`,
      );
    }
  }

  // Formats and secrets pair with the webhooks in order, or one serves all: counted as given, valid or not.
  const urlCount = given.get('webhook') ?? 0;
  const formatCount = given.get('webhookFormat') ?? 0;
  const secretCount = given.get('webhookSecret') ?? 0;
  if (formatCount > 1 && formatCount !== urlCount) {
    problems.usage(
      `--webhook-format given ${formatCount} times for ${urlCount} webhook(s): give it once (for all) or once per --webhook, in the same order`,
    );
  }
  if (secretCount > 1 && secretCount !== urlCount) {
    problems.usage(
      `--webhook-secret given ${secretCount} times for ${urlCount} webhook(s): give it once (for all) or once per --webhook, in the same order`,
    );
  }
  if (urlCount === 0 && (formatCount > 0 || secretCount > 0)) {
    problems.usage('--webhook-format and --webhook-secret need a --webhook');
  }
  // Each webhook is made only when all of them are valid: an invalid one would shift the pairing by position.
  const webhooks: Webhook[] = [];
  if (!invalid.has('webhook') && !invalid.has('webhookFormat')) {
    const formats = values.webhookFormat;
    const secrets = values.webhookSecret;
    values.webhook.forEach((url, index) => {
      const format = (formats.length === 1 ? formats[0] : formats[index]) ?? formatForHost(url);
      const secret = (secrets.length === 1 ? secrets[0] : secrets[index]) || null;
      if (secret && (format === 'slack' || format === 'wecom')) {
        problems.usage(
          `--webhook-secret for webhook #${index + 1}: ${format} webhooks are not signed (the key is in the URL); leave it out`,
        );
      }
      webhooks.push(makeWebhook(url, format, secret, index));
    });
    if (new Set(webhooks.map((w) => w.key)).size !== webhooks.length) {
      problems.usage('--webhook the same webhook is given twice');
    }
  }

  problems.throwIfAny();
  return freezeConfig({
    paths: [...paths],
    app: values.app ?? null,
    appDir: values.appDir ?? null,
    db: values.db ?? defaultStorePath(env),
    webhooks,
    alertOn: values.alertOn,
    settleMs: values.settle,
    metrics: values.metrics ?? null,
    json: values.json,
    zone: values.tz ?? machineZone(),
    guardIncidents: values.guardIncidents ?? null,
    retryMaxMs: values.alertRetryMax,
    crashLoopMs: values.crashLoopWindow,
    ...chooseLanguages(values.lang, env),
  });
}
