// One alert document as each receiver wants it: the contract's JSON (generic), Slack's `text`, DingTalk's markdown
// message, Feishu/Lark's rich-text post, WeCom's markdown. Every request carries the idempotency key, in the
// `Idempotency-Key` header and in the payload itself (the JSON's `id`, or the chat message's last line).

import type { Language } from '../report/language.js';
import { printable } from '../report/printable.js';
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
  /** How long the receiver asked us to wait (its Retry-After), when it said. */
  readonly retryAfterMs?: number;
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
      body = JSON.stringify({ text: slackText(escapedText(alertText(doc, language), slackEscape)) });
      break;
    case 'dingtalk': {
      const text = alertText(doc, language);
      body = JSON.stringify({
        msgtype: 'markdown',
        // The title is the notification's plain-text preview: no markdown there to escape.
        markdown: { title: printable(text.title), text: dingtalkMarkdown(escapedText(text, markdownEscape)) },
      });
      if (webhook.secret) {
        url.searchParams.set('timestamp', String(nowMs));
        url.searchParams.set('sign', dingtalkSignature(webhook.secret, nowMs));
      }
      break;
    }
    case 'feishu': {
      // Plain `text` elements: Feishu reads no markup in them (links and mentions are elements of their own).
      const text = escapedText(alertText(doc, language), (s) => s);
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
        markdown: { content: wecomMarkdown(escapedText(alertText(doc, language), markdownEscape)) },
      });
      break;
  }
  return { url, headers, body };
}

/**
 * Reads a receiver's answer: HTTP status first, then the chat robots' `errcode`/`code`. Delivered: any 2xx that is not a
 * chat robot's refusal. Tried again: only what may pass by itself — a server error, a rate limit (429, or a robot's
 * own rate-limit code), a timeout; any other refusal needs the operator and is given up at once.
 */
export function judgeResponse(webhook: Webhook, status: number, body: string, retryAfter?: string): Verdict {
  const snippet = body.trim().slice(0, 200);
  const robot = robotAnswer(webhook, body);
  if (status < 200 || status >= 300) {
    const retryable = status >= 500 || status === 408 || status === 429 || robot?.rateLimited === true;
    const wait = retryable ? retryAfterMs(retryAfter) : undefined;
    return {
      ok: false,
      retryable,
      detail: `HTTP ${status}${snippet ? `: ${snippet}` : ''}`,
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
    };
  }
  // Slack says its refusals with a 4xx: a 2xx is delivered, whatever its body (a proxy's page, `ok`, nothing).
  if (robot === null || robot.code === 0 || robot.code === '0') {
    return { ok: true, retryable: false, detail: webhook.format === 'generic' ? `HTTP ${status}` : 'ok' };
  }
  return {
    ok: false,
    retryable: robot.rateLimited,
    detail: `${webhook.format} answered code ${String(robot.code)}: ${robot.message}`,
  };
}

/**
 * The chat robots' rate-limit codes: DingTalk 130101 (`send too fast, exceed 20 times per minute`), Feishu/Lark 9499
 * (`too many request`, with a 400) and 11232 (frequency limited), WeCom 45009 (`api freq out of limit`).
 */
const ROBOT_RATE_LIMITS = new Set([130101, 9499, 11232, 45009]);

/** A chat robot's verdict inside its answer (`errcode`, `code`, `StatusCode`), or null for generic, Slack, non-JSON. */
function robotAnswer(
  webhook: Webhook,
  body: string,
): { code: unknown; message: string; rateLimited: boolean } | null {
  if (webhook.format === 'generic' || webhook.format === 'slack') return null;
  let parsed: Record<string, unknown> | null = null;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    // a robot that answers 200 without JSON took it
  }
  if (parsed === null || typeof parsed !== 'object') return null;
  const code = parsed.errcode ?? parsed.code ?? parsed.StatusCode ?? 0;
  const message = String(parsed.errmsg ?? parsed.msg ?? parsed.StatusMessage ?? '');
  return { code, message, rateLimited: ROBOT_RATE_LIMITS.has(Number(code)) };
}

/** `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`, as ms from now; undefined when absent or odd. */
function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) || !/[a-z]/i.test(text) ? undefined : Math.max(0, at - Date.now());
}

/**
 * The alert's words as the target reads them: log text (a process name, a cgroup, the deciding line) is written by
 * whoever can name a process, so it is made printable and then escaped for the target's markup, before the format adds
 * its own markup around it.
 */
function escapedText(t: AlertText, escapeMarkup: (text: string) => string): AlertText {
  const safe = (text: string) => escapeMarkup(printable(text));
  return {
    title: safe(t.title),
    facts: t.facts.map(safe),
    evidence: t.evidence === null ? null : safe(t.evidence),
    footer: safe(t.footer),
  };
}

/** Slack's mrkdwn: `&`, `<` and `>` are its control characters (`<!channel>`, `<@U123>`, `<url|text>`). */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * DingTalk's and WeCom's markdown: a backslash before what makes links (`[…](…)`), emphasis (`*` `_` `~`), code and
 * HTML (`<font>`, WeCom's `<@userid>` mentions, entities); `@` made a full-width ＠ so no phone number or user id is
 * mentioned. Log text never starts a line here (each line begins with the format's own words), so the line-start
 * markup (`#`, `>`, `-`, `1.`) cannot come from it.
 */
function markdownEscape(text: string): string {
  return text.replace(/[\\`*_[\]~<>&]/g, '\\$&').replace(/@/g, '＠');
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
  // Quoted, not a code span: in a code span the escapes of the log text would show as backslashes.
  if (t.evidence) lines.push(`> ${t.evidence}`);
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
