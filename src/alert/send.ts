// One POST of one alert, with a deadline. node:http(s) rather than fetch: it keeps watch a few MiB smaller (undici
// is not loaded), and a refused connection, a timeout and a 500 all come back as a verdict, never as a throw.
import http from 'node:http';
import https from 'node:https';
import { type AlertRequest, judgeResponse, type Verdict } from './formats.js';
import { redact, type Webhook } from './webhook.js';

/** Whole request deadline: connect, send, answer. */
export const SEND_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 16 * 1024;

export function postAlert(
  webhook: Webhook,
  request: AlertRequest,
  timeoutMs = SEND_TIMEOUT_MS,
): Promise<Verdict> {
  return new Promise((resolve) => {
    const { url } = request;
    const client = url.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (verdict: Verdict) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Messages from the network stack may quote the URL: never let its tokens reach a log.
      resolve({ ...verdict, detail: redact(verdict.detail, webhook) });
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          if (bytes < MAX_RESPONSE_BYTES) chunks.push(chunk);
          bytes += chunk.length;
        });
        res.on('end', () =>
          finish({
            ...judgeResponse(webhook, res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')),
            httpStatus: res.statusCode ?? 0,
          }),
        );
        res.on('error', (error) => finish({ ok: false, retryable: true, detail: describeNetError(error) }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${timeoutMs / 1000}s`));
    }, timeoutMs);
    req.on('error', (error) => finish({ ok: false, retryable: true, detail: describeNetError(error) }));
    req.end(request.body);
  });
}

function describeNetError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the receiver down?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host (${e.code})`;
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS certificate problem (${e.code})`;
    default:
      return e.code ? `${e.message} (${e.code})` : (e.message ?? String(error));
  }
}
