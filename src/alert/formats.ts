// One alert document as each receiver wants it: the contract's JSON (generic), Slack's `text`, DingTalk's markdown
// message, Feishu/Lark's rich-text post, WeCom's markdown. Every request carries the idempotency key, in the
// `Idempotency-Key` header and in the payload itself (the JSON's `id`, or the chat message's last line).

import type { Language } from '../report/language.js';
import { VERSION } from '../version.js';
import { type AlertText, alertText } from './alert-text.js';
import type { AlertDocument } from './payload.js';
import { dingtalkSignature, feishuSignature, genericSignature } from './signing.js';
import type { Webhook } from './webhook.js';

export interface AlertRequest {
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** How a receiver answered, judged by its own conventions (chat robots say 200 even when they refuse). */
export interface Verdict {
  readonly ok: boolean;
  /** Worth trying again later (server error, rate limit, timeout); false for a request that can never succeed. */
  readonly retryable: boolean;
  readonly detail: string;
  /** The HTTP status the receiver answered; absent when there was no answer (refused, timed out, reset). */
  readonly httpStatus?: number;
}

/**
 * The request for one alert. Chat formats speak `language`; the generic format sends the document as it is, its
 * fields never changing with the language (the prose in it is what was stored).
 */
export function renderRequest(
  doc: AlertDocument,
  webhook: Webhook,
  nowMs: number,
  language: Language,
): AlertRequest {
  const url = new URL(webhook.url.href);
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': `oomsleuth/${VERSION}`,
    'idempotency-key': doc.id,
  };
  const seconds = Math.floor(nowMs / 1000);
  let body: string;
  switch (webhook.format) {
    case 'generic':
      body = JSON.stringify(doc);
      if (webhook.secret) {
        headers['x-oomsleuth-timestamp'] = String(seconds);
        headers['x-oomsleuth-signature'] = genericSignature(webhook.secret, seconds, body);
      }
      break;
    case 'slack':
      body = JSON.stringify({ text: slackText(alertText(doc, language)) });
      break;
    case 'dingtalk': {
      const text = alertText(doc, language);
      body = JSON.stringify({
        msgtype: 'markdown',
        markdown: { title: text.title, text: dingtalkMarkdown(text) },
      });
      if (webhook.secret) {
        url.searchParams.set('timestamp', String(nowMs));
        url.searchParams.set('sign', dingtalkSignature(webhook.secret, nowMs));
      }
      break;
    }
    case 'feishu': {
      const text = alertText(doc, language);
      const post = {
        title: text.title,
        content: [
          ...text.facts.map((f) => [{ tag: 'text', text: f }]),
          ...(text.evidence ? [[{ tag: 'text', text: text.evidence }]] : []),
          [{ tag: 'text', text: text.footer }],
        ],
      };
      const signed = webhook.secret
        ? { timestamp: String(seconds), sign: feishuSignature(webhook.secret, seconds) }
        : {};
      body = JSON.stringify({ ...signed, msg_type: 'post', content: { post: { zh_cn: post } } });
      break;
    }
    case 'wecom':
      body = JSON.stringify({
        msgtype: 'markdown',
        markdown: { content: wecomMarkdown(alertText(doc, language)) },
      });
      break;
  }
  return { url, headers, body };
}

/** Reads a receiver's answer: HTTP status first, then the chat robots' `errcode`/`code` in a 200 answer. */
export function judgeResponse(webhook: Webhook, status: number, body: string): Verdict {
  const snippet = body.trim().slice(0, 200);
  if (status < 200 || status >= 300) {
    const retryable = status >= 500 || status === 408 || status === 425 || status === 429;
    return { ok: false, retryable, detail: `HTTP ${status}${snippet ? `: ${snippet}` : ''}` };
  }
  if (webhook.format === 'generic') return { ok: true, retryable: false, detail: `HTTP ${status}` };
  if (webhook.format === 'slack') {
    return snippet === 'ok' || snippet === ''
      ? { ok: true, retryable: false, detail: 'ok' }
      : { ok: false, retryable: true, detail: `Slack answered ${snippet}` };
  }
  let parsed: Record<string, unknown> | null = null;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    // a robot that answers 200 without JSON took it
  }
  const code = parsed?.errcode ?? parsed?.code ?? parsed?.StatusCode ?? 0;
  if (code === 0 || code === '0') return { ok: true, retryable: false, detail: 'ok' };
  const message = parsed?.errmsg ?? parsed?.msg ?? parsed?.StatusMessage ?? '';
  // Rate limits and signature clock skew pass; a wrong keyword or secret needs the operator, but costs little to retry.
  return {
    ok: false,
    retryable: true,
    detail: `${webhook.format} answered code ${String(code)}: ${String(message)}`,
  };
}

function slackText(t: AlertText): string {
  const lines = [`*${t.title}*`, ...t.facts];
  if (t.evidence) lines.push(`\`${t.evidence.replace(/`/g, "'")}\``);
  lines.push(`_${t.footer}_`);
  return lines.join('\n');
}

function dingtalkMarkdown(t: AlertText): string {
  // DingTalk joins single newlines in some clients: paragraphs are separated by blank lines.
  const lines = [`#### ${t.title}`, ...t.facts.map((f) => `- ${f}`)];
  if (t.evidence) lines.push(`> ${t.evidence}`);
  lines.push(t.footer);
  return lines.join('\n\n');
}

function wecomMarkdown(t: AlertText): string {
  const lines = [`**${t.title}**`, ...t.facts.map((f) => `> ${f}`)];
  if (t.evidence) lines.push(`\`${t.evidence.replace(/`/g, "'")}\``);
  lines.push(`<font color="comment">${t.footer}</font>`);
  // WeCom refuses markdown content over 4096 bytes.
  return truncateBytes(lines.join('\n'), 4000);
}

function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let cut = text.slice(0, maxBytes);
  while (Buffer.byteLength(cut) > maxBytes - 3) cut = cut.slice(0, -1);
  return `${cut}…`;
}
