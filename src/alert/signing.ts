// Webhook signatures. DingTalk and Feishu/Lark robots with "signature" security check an HMAC-SHA256 of
// `timestamp + "\n" + secret`; the generic format signs the body so a receiver can tell oomsleuth's posts from others.
import { createHmac } from 'node:crypto';

/** DingTalk: HMAC-SHA256 keyed with the secret over `${timestampMs}\n${secret}`, base64; sent as URL parameters. */
export function dingtalkSignature(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** Feishu/Lark: HMAC-SHA256 keyed with `${timestampS}\n${secret}` over nothing, base64; sent in the body. */
export function feishuSignature(secret: string, timestampS: number): string {
  return createHmac('sha256', `${timestampS}\n${secret}`).update('').digest('base64');
}

/** Generic: `sha256=` + hex HMAC-SHA256 keyed with the secret over `${timestampS}.${body}`. */
export function genericSignature(secret: string, timestampS: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex')}`;
}
