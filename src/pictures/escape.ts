// Log text into HTML and into inline JSON: nothing a log line holds can become markup or script. Control characters
// (an ANSI colour code's ESC included) are shown as the escapes a programmer would type, so ESC[31m reads `\x1b[31m`
// (the Unicode control pictures, ␛, are missing from most monospace fonts).

const HTML_SPECIAL: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** C0 controls but tab, and DEL: invisible or terminal-driving characters. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/g;

/** Text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => HTML_SPECIAL[c]!)
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` as \u escapes, so no string can close the
 * element or open a comment, and the line separators JavaScript once refused.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
