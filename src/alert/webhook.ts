// A configured webhook: where alerts go, in which format, with which signing secret. The URL usually holds a token
// (Slack's path, DingTalk's and WeCom's access_token/key), so it is never printed whole nor stored: logs show its
// host, the store keeps a digest.
import { createHash } from 'node:crypto';
import type { WebhookFormat } from './webhook-format.js';

export interface Webhook {
  readonly url: URL;
  readonly format: WebhookFormat;
  /** DingTalk/Feishu signing secret, or for generic the HMAC key of the X-Oomsleuth-Signature header. */
  readonly secret: string | null;
  /** Digest of URL + format: the outbox row's webhook (stable across restarts, holds no token). */
  readonly key: string;
  /** `#1 dingtalk oapi.dingtalk.com`: how logs name it. */
  readonly label: string;
}

export function makeWebhook(url: URL, format: WebhookFormat, secret: string | null, index: number): Webhook {
  const key = createHash('sha256').update(`${format} ${url.href}`).digest('hex').slice(0, 24);
  return { url, format, secret, key, label: `#${index + 1} ${format} ${url.host}` };
}

/** A URL fit for logs: scheme, host and port only. */
export function redactUrl(url: URL): string {
  return `${url.protocol}//${url.host}/…`;
}

/** Removes every secret a webhook holds (URL, path, query values, signing secret) from a text before it is shown. */
export function redact(text: string, webhook: Webhook): string {
  let out = text;
  const secrets = [webhook.url.href, webhook.url.pathname + webhook.url.search, webhook.url.search.slice(1)];
  for (const value of webhook.url.searchParams.values()) secrets.push(value);
  if (webhook.secret) secrets.push(webhook.secret);
  for (const secret of secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('…');
  }
  return out;
}
