// A whole page: every script and style inline, each listed by its hash in the page's Content-Security-Policy (also
// returned, for the dashboard to send as a header). No external resource of any kind.
import { VERSION } from '../version.js';
import type { ChartAssets } from './chart-assets.js';
import { CHART_SCRIPT } from './client-script.js';
import { contentSecurityPolicy } from './csp.js';
import { escapeHtml } from './escape.js';
import { PAGE_STYLE } from './page-style.js';

export interface Page {
  readonly html: string;
  readonly csp: string;
}

export interface PageParts {
  readonly title: string;
  readonly body: string;
  readonly assets: ChartAssets;
  /** Scripts of the page beyond the chart drawing (the dashboard's live list). */
  readonly scripts?: readonly string[];
  /** The dashboard talks to its own server; the report file to nobody. */
  readonly sameOrigin: boolean;
}

export function renderPage(parts: PageParts): Page {
  const styles = [parts.assets.style, PAGE_STYLE];
  const scripts = [parts.assets.script, CHART_SCRIPT, ...(parts.scripts ?? [])];
  const csp = contentSecurityPolicy({ scripts, styles, sameOrigin: parts.sameOrigin });
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="oomsleuth ${escapeHtml(VERSION)}">
<title>${escapeHtml(parts.title)}</title>
${styles.map((s) => `<style>${s}</style>`).join('\n')}
</head>
<body>
<main>
${parts.body}
<footer>oomsleuth ${escapeHtml(VERSION)}</footer>
</main>
${scripts.map((s) => `<script>${s}</script>`).join('\n')}
</body>
</html>
`;
  return { html, csp };
}
