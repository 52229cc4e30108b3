// `oomsleuth alert test`: the alert half of a drill. Sends a sample incident to every webhook configured as watch's
// are (flags, else OOMSLEUTH_WEBHOOK / OOMSLEUTH_WEBHOOK_SECRET) and says, per endpoint, its answer and latency.
import { hostname } from 'node:os';
import { createColors } from 'picocolors';
import { sampleIncidentAlert } from '../alert/sample-incident.js';
import { sendTrial, type TrialResult } from '../alert/trial.js';
import type { Webhook } from '../alert/webhook.js';
import { machineZone } from '../clock/zone.js';
import { flag } from '../options/option-spec.js';
import { Problems } from '../options/problems.js';
import { freezeConfig, validateOptions } from '../options/validate.js';
import { cutToWidth, displayWidth, padToWidth } from '../report/display-width.js';
import { chooseLanguages, LANG_OPTION, type Language } from '../report/language.js';
import { webhookFlagsFromEnv, webhooksOf } from '../watch/webhook-config.js';
import { WEBHOOK_OPTIONS } from '../watch/webhook-options.js';

export const ALERT_TEST_SCHEMA = 'oomsleuth.alert-test/1';

export const ALERT_TEST_OPTIONS = {
  ...WEBHOOK_OPTIONS,
  json: flag('--json', 'print the results as JSON (schema oomsleuth.alert-test/1) on stdout'),
  lang: LANG_OPTION,
} as const;

export interface AlertTestConfig {
  readonly webhooks: readonly Webhook[];
  readonly json: boolean;
  /** The chat formats' language, as watch's alerts: `--lang`, else the locale's. */
  readonly language: Language;
}

export interface AlertTestReport {
  readonly schema: typeof ALERT_TEST_SCHEMA;
  readonly host: string;
  /** The sample alert's id: receivers see it in the payload and the Idempotency-Key header. */
  readonly alertId: string;
  readonly ok: boolean;
  readonly results: readonly TrialResult[];
}

export async function loadAlertTestConfig(
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AlertTestConfig> {
  const problems = new Problems('alert test');
  const validated = await validateOptions(
    ALERT_TEST_OPTIONS,
    { ...flags, ...webhookFlagsFromEnv(flags, env) },
    problems,
  );
  const webhooks = webhooksOf(validated, problems);
  if ((validated.given.get('webhook') ?? 0) === 0) {
    problems.usage(
      'no webhook to test: pass --webhook URL (repeatable) or set OOMSLEUTH_WEBHOOK, as for watch',
    );
  }
  problems.throwIfAny();
  return freezeConfig({
    webhooks,
    json: validated.values.json,
    language: chooseLanguages(validated.values.lang, env).language,
  });
}

export async function runAlertTest(
  config: AlertTestConfig,
  options: { host?: string; nowMs?: number; timeoutMs?: number } = {},
): Promise<AlertTestReport> {
  const host = options.host ?? hostname();
  const doc = sampleIncidentAlert(host, options.nowMs ?? Date.now(), machineZone());
  const results = await sendTrial(doc, config.webhooks, config.language, options.timeoutMs);
  return { schema: ALERT_TEST_SCHEMA, host, alertId: doc.id, ok: results.every((r) => r.ok), results };
}

export function renderAlertTest(report: AlertTestReport, options: { color: boolean; width: number }): string {
  const c = createColors(options.color);
  const width = Math.max(60, options.width);
  const out = [c.bold(`oomsleuth alert test: a sample incident (id ${report.alertId}) to each webhook`), ''];
  const labelWidth = Math.max(...report.results.map((r) => displayWidth(r.webhook)));
  for (const r of report.results) {
    const status = r.ok ? c.green('ok  ') : c.red('fail');
    const answer = r.httpStatus === null ? 'no answer' : `HTTP ${r.httpStatus}`;
    const detail = r.ok ? '' : `  ${r.detail}`;
    out.push(
      cutToWidth(
        `  ${status}  ${padToWidth(r.webhook, labelWidth)}  ${answer.padEnd(9)}  ${String(r.latencyMs).padStart(5)} ms${detail}`,
        width,
      ),
    );
  }
  const failed = report.results.filter((r) => !r.ok).length;
  out.push(
    '',
    failed === 0
      ? c.green(`all ${report.results.length} webhook(s) took the alert`)
      : c.red(`${failed} of ${report.results.length} webhook(s) did not take the alert`),
  );
  return `${out.join('\n')}\n`;
}
