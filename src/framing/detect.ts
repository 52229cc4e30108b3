// Classifying a file by its first lines: which carrier frames most of them. The content decides; a name breaks ties.
import { appLog } from './app-log.js';
import type { Carrier } from './carrier.js';
import { ALL_CARRIERS } from './carrier-list.js';
import { cleanLineText, isBlankLine } from './clean-line.js';
import { dmesgNotime, hasKernelOnlyShape } from './dmesg-notime.js';
import { grepPrefixed, sniffGrepPrefixed } from './grep-prefix.js';

export { ALL_CARRIERS, carrierByFormat } from './carrier-list.js';

/** How many non-empty lines are looked at. */
export const DETECT_SAMPLE_LINES = 200;
/** A non-app carrier must frame at least this share of the readable lines (a README quoting one syslog line is no log). */
const MIN_SHARE = 1 / 3;
/** Characters looked at per line to decide whether it is binary junk. */
const JUNK_PROBE_CHARS = 512;

const ROTATION_SUFFIX = /(?:\.(?:gz|xz|bz2|zst|lz4))?(?:[.-]\d{1,8})?(?:\.(?:gz|xz|bz2|zst|lz4))?$/;
const APP_NAME = /^(?:running\.log|nohup\.out|app[^/]*\.log)$|\.out$|stdout|stderr/;

/** Name patterns that hint at a family of formats, tried only among carriers that tie on content. */
const NAME_HINTS: readonly { readonly name: RegExp; readonly formatPrefix: string }[] = [
  { name: /journal/, formatPrefix: 'journal-' },
  { name: /^(?:syslog|messages|kern|daemon|cron|auth|user|debug)/, formatPrefix: 'syslog-' },
  { name: /dmesg/, formatPrefix: 'dmesg' },
  { name: /kmsg/, formatPrefix: 'kmsg' },
  { name: /check|guard/, formatPrefix: 'check-sh' },
];

/** The base name, lower case, without compression and rotation suffixes: `/var/log/syslog.2.gz` → `syslog`. */
function plainName(fileName: string): string {
  const base = fileName
    .slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1)
    .toLowerCase();
  return base.replace(ROTATION_SUFFIX, '');
}

/** True for names applications' output usually gets: running.log, nohup.out, *.out, app*.log, *stdout*, *stderr*. */
export function looksLikeAppLogName(fileName: string): boolean {
  return APP_NAME.test(plainName(fileName));
}

function nameFits(carrier: Carrier, name: string): boolean {
  if (carrier.format === appLog.format) return APP_NAME.test(name);
  return NAME_HINTS.some((hint) => hint.name.test(name) && carrier.format.startsWith(hint.formatPrefix));
}

/** Binary junk: more than 30 % of the first characters are control characters (not tab) or U+FFFD. */
function isJunk(text: string): boolean {
  const length = Math.min(text.length, JUNK_PROBE_CHARS);
  let bad = 0;
  for (let i = 0; i < length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f || code === 0xfffd) bad += 1;
  }
  return bad * 10 > length * 3;
}

/**
 * The carrier for a file, from its first non-empty lines (up to DETECT_SAMPLE_LINES), or null for binary junk and
 * text no carrier fits. Guardian and kernel/system carriers beat app-log whenever they frame at least as many lines (and
 * a third of the readable ones); app-log needs one line with an app stamp or an app marker, or, when nothing else
 * fits, an app-like file name.
 */
export function detectCarrier(sample: readonly string[], fileName: string): Carrier | null {
  const lines: string[] = [];
  let nonEmpty = 0;
  for (const raw of sample) {
    const text = cleanLineText(raw);
    if (isBlankLine(text)) continue;
    nonEmpty += 1;
    if (!isJunk(text)) lines.push(text);
    if (nonEmpty >= DETECT_SAMPLE_LINES) break;
  }
  if (lines.length === 0) return null;
  const name = plainName(fileName);

  let best: Carrier | null = null;
  let bestScore = 0;
  let appScore = 0;
  for (const carrier of ALL_CARRIERS) {
    // Kernel text without stamps is told by its shapes alone: never in a file named like an app's output.
    if (carrier === dmesgNotime && (APP_NAME.test(name) || !lines.some(hasKernelOnlyShape))) continue;
    let score = 0;
    for (const text of lines) if (carrier.sniff(text)) score += 1;
    if (carrier === appLog) {
      appScore = score;
      continue;
    }
    // ALL_CARRIERS is in preference order, so on a tie the earlier one stays unless only the later one fits the name.
    if (
      score > bestScore ||
      (score === bestScore && score > 0 && best !== null && nameFits(carrier, name) && !nameFits(best, name))
    ) {
      best = carrier;
      bestScore = score;
    }
  }
  // Lines pasted out of grep (`syslog:Jul 23 …`) fit no carrier as they are; behind the prefix they fit one.
  if (bestScore < lines.length && appScore < lines.length) {
    const prefixed = detectGrepPrefixed(lines, Math.max(bestScore, appScore));
    if (prefixed !== null) return prefixed;
  }
  if (best !== null && bestScore >= appScore && bestScore >= lines.length * MIN_SHARE) return best;
  if (appScore > 0) return appLog;
  // An app-like name counts only for text: most of the sampled lines must not be junk.
  if (APP_NAME.test(name) && lines.length * 2 >= nonEmpty) return appLog;
  return null;
}

/**
 * The carrier whose lines hide behind grep's prefixes on more of `lines` than `toBeat` (and on a third of them), wrapped
 * so that its framer takes the prefixes off; null when none does. The carrier's own stamp marks where the line starts.
 */
function detectGrepPrefixed(lines: readonly string[], toBeat: number): Carrier | null {
  let best: Carrier | null = null;
  let bestScore = toBeat;
  for (const carrier of ALL_CARRIERS) {
    // Unstamped kernel text has no start to find behind a prefix: any cut of any line may read as kernel text.
    if (carrier === dmesgNotime) continue;
    let score = 0;
    for (const text of lines) if (sniffGrepPrefixed(text, carrier)) score += 1;
    if (score > bestScore) {
      best = carrier;
      bestScore = score;
    }
  }
  return best !== null && bestScore >= lines.length * MIN_SHARE ? grepPrefixed(best) : null;
}
