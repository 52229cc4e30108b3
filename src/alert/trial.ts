// A trial alert: one document sent once to each webhook, at the same time, with no outbox and no retry, timing each
// answer. `oomsleuth alert test` sends a sample incident this way; `oomsleuth drill` the incident it provoked.
import type { Language } from '../report/language.js';
import { renderRequest } from './formats.js';
import type { AlertDocument } from './payload.js';
import { postAlert, SEND_TIMEOUT_MS } from './send.js';
import type { Webhook } from './webhook.js';

export interface TrialResult {
  /** `#1 generic 127.0.0.1:8080`: the webhook as logs name it (its URL's tokens never shown). */
  readonly webhook: string;
  readonly format: Webhook['format'];
  readonly ok: boolean;
  /** The HTTP status answered; null when there was no answer. */
  readonly httpStatus: number | null;
  /** From sending the request to its verdict. */
  readonly latencyMs: number;
  /** `HTTP 200`, `connection refused (is the receiver down?)`, `dingtalk answered code 310000: …`. */
  readonly detail: string;
}

export async function sendTrial(
  doc: AlertDocument,
  webhooks: readonly Webhook[],
  language: Language,
  timeoutMs = SEND_TIMEOUT_MS,
): Promise<TrialResult[]> {
  return Promise.all(
    webhooks.map(async (webhook) => {
      const started = performance.now();
      const verdict = await postAlert(webhook, renderRequest(doc, webhook, Date.now(), language), timeoutMs);
      return {
        webhook: webhook.label,
        format: webhook.format,
        ok: verdict.ok,
        httpStatus: verdict.httpStatus ?? null,
        latencyMs: Math.round(performance.now() - started),
        detail: verdict.detail,
      };
    }),
  );
}
