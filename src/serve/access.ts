// Who may see the dashboard: with a token, every request must carry it — `Authorization: Bearer …`, or the cookie
// set when a browser first opens `/?token=…` (then sent by the page's own requests and its event stream).
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export const TOKEN_COOKIE = 'oomsleuth_token';

export type Access = { readonly kind: 'allowed' } | { readonly kind: 'denied' } | { readonly kind: 'adopt' };

/** `adopt`: the token came in the query and was right — set the cookie and send the browser to the clean URL. */
export function checkAccess(
  token: string,
  headers: { authorization?: string | undefined; cookie?: string | undefined },
  queryToken: string | undefined,
): Access {
  const bearer = /^Bearer\s+(?<token>\S+)\s*$/i.exec(headers.authorization ?? '')?.groups?.token;
  if (bearer !== undefined) return sameSecret(bearer, token) ? { kind: 'allowed' } : { kind: 'denied' };
  if (queryToken !== undefined) return sameSecret(queryToken, token) ? { kind: 'adopt' } : { kind: 'denied' };
  const cookie = cookieValue(headers.cookie, TOKEN_COOKIE);
  return cookie !== null && sameSecret(cookie, token) ? { kind: 'allowed' } : { kind: 'denied' };
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Compared in constant time: the answer must not tell how much of a guess was right. */
function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A Host header naming this machine's loopback (`127.0.0.1:8765`, `localhost:8765`, `[::1]:8765`). */
export function isLoopbackHost(host: string | undefined): boolean {
  const name = /^(?:\[(?<v6>[^\]]+)\]|(?<name>[^:]+))(?::\d+)?$/.exec(host ?? '')?.groups;
  if (!name) return false;
  if (name.v6 !== undefined) return name.v6 === '::1';
  const hostname = name.name!.toLowerCase();
  if (hostname === 'localhost') return true;
  return isIP(hostname) === 4 && hostname.startsWith('127.');
}
