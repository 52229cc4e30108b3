// `watch` options (declared in watch-options.ts), validated once at the edge, every problem reported together
// (exit 2), then frozen. Webhook URLs and secrets may also come from the environment (see webhook-config.ts).
import { stat } from 'node:fs/promises';
import type { Webhook } from '../alert/webhook.js';
import { machineZone } from '../clock/zone.js';
import type { ListenAddress } from '../options/network.js';
import { Problems } from '../options/problems.js';
import { freezeConfig, validateOptions } from '../options/validate.js';
import { chooseLanguages, type Language } from '../report/language.js';
import { describeFsError, errnoCode } from '../sources/fs-problem.js';
import { defaultStorePath } from '../store/default-path.js';
import { WATCH_OPTIONS } from './watch-options.js';
import type { AlertOn } from './watcher.js';
import { webhookFlagsFromEnv, webhooksOf } from './webhook-config.js';

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
  const fromEnv = webhookFlagsFromEnv(flags, env);
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

  const webhooks = webhooksOf({ values, given, invalid }, problems);

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
