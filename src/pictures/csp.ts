// The Content-Security-Policy of every page: scripts and styles run only when their sha256 is listed (so no inline
// event handler, no injected <script>), nothing loads from anywhere else, and only the dashboard talks to its server.
import { createHash } from 'node:crypto';

/** `'sha256-…'` of an inline script or style's exact text. */
export function hashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export interface PolicyParts {
  readonly scripts: readonly string[];
  readonly styles: readonly string[];
  /** The dashboard fetches its events and posts its filters to its own origin; the report file talks to nobody. */
  readonly sameOrigin: boolean;
}

export function contentSecurityPolicy({ scripts, styles, sameOrigin }: PolicyParts): string {
  const self = sameOrigin ? "'self'" : "'none'";
  return [
    "default-src 'none'",
    `script-src ${scripts.map(hashSource).join(' ') || "'none'"}`,
    `style-src ${styles.map(hashSource).join(' ') || "'none'"}`,
    'img-src data:',
    `connect-src ${self}`,
    `form-action ${self}`,
    "base-uri 'none'",
  ].join('; ');
}
