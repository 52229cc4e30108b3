// logrotate: how long the syslog files that keep kernel messages live before rotation deletes them. A file is kept
// for (rotate + 1) periods at most (the live file plus `rotate` old ones), `maxage` days at most; logrotate.conf's
// top-level directives are the defaults its blocks (and /etc/logrotate.d/*) override.
import { type Check, check } from './check.js';
import type { RootFs } from './root-fs.js';

export interface RotationRule {
  /** The config file and the patterns of its block. */
  readonly file: string;
  readonly patterns: readonly string[];
  readonly rotate: number | null;
  readonly periodDays: number | null;
  readonly maxAgeDays: number | null;
  /** Rotated on size alone: how long a file lives depends on how fast it grows. */
  readonly sizeOnly: boolean;
}

const PERIODS: Record<string, number> = { hourly: 1 / 24, daily: 1, weekly: 7, monthly: 30, yearly: 365 };

interface Settings {
  rotate: number | null;
  periodDays: number | null;
  maxAgeDays: number | null;
  size: boolean;
}

function apply(settings: Settings, directive: string): void {
  const [word = '', arg = ''] = directive.split(/\s+/);
  // `size` and the periods exclude each other; the last one given wins (logrotate(8)).
  if (word in PERIODS) {
    settings.periodDays = PERIODS[word]!;
    settings.size = false;
  } else if (word === 'size') {
    settings.periodDays = null;
    settings.size = true;
  } else if (word === 'rotate' && /^-?\d+$/.test(arg)) settings.rotate = Number(arg);
  else if (word === 'maxage' && /^\d+$/.test(arg)) settings.maxAgeDays = Number(arg);
}

/** The blocks of one logrotate config text, with `defaults` applied under each block's own directives. */
export function parseLogrotate(
  file: string,
  text: string,
  defaults: Settings,
): { rules: RotationRule[]; globals: Settings; includes: string[] } {
  const globals = { ...defaults };
  const rules: RotationRule[] = [];
  const includes: string[] = [];
  let pending: string[] = [];
  let block: Settings | null = null;
  let inScript = false;
  for (const raw of text.split('\n')) {
    let line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    if (inScript) {
      if (line === 'endscript') inScript = false;
      continue;
    }
    if (block === null) {
      const open = line.indexOf('{');
      if (open >= 0) {
        pending.push(...line.slice(0, open).trim().split(/\s+/).filter(Boolean));
        block = { ...globals };
        line = line.slice(open + 1).trim();
        if (line === '') continue;
      } else if (line.startsWith('/') || line.startsWith('"')) {
        pending.push(...line.split(/\s+/).map((p) => p.replace(/"/g, '')));
        continue;
      } else {
        if (line.startsWith('include ')) includes.push(line.slice(8).trim());
        else apply(globals, line);
        continue;
      }
    }
    if (/^(?:pre|post|first|last)(?:rotate|action)$|^prerotate$|^postrotate$/.test(line)) {
      inScript = true;
      continue;
    }
    if (line.startsWith('}')) {
      rules.push({
        file,
        patterns: pending,
        rotate: block.rotate,
        periodDays: block.periodDays,
        maxAgeDays: block.maxAgeDays,
        sizeOnly: block.size,
      });
      pending = [];
      block = null;
      continue;
    }
    apply(block, line);
  }
  return { rules, globals, includes };
}

/** Every rule of /etc/logrotate.conf and the folders it includes (by default /etc/logrotate.d). */
export async function readRotationRules(fs: RootFs): Promise<RotationRule[] | null> {
  const main = await fs.text('/etc/logrotate.conf');
  if (main === null) return null;
  const empty: Settings = { rotate: null, periodDays: null, maxAgeDays: null, size: false };
  const top = parseLogrotate('/etc/logrotate.conf', main, empty);
  const rules = [...top.rules];
  for (const include of top.includes.length > 0 ? top.includes : ['/etc/logrotate.d']) {
    const names = (await fs.isDirectory(include))
      ? (await fs.list(include)).map((n) => `${include}/${n}`)
      : [include];
    for (const path of names) {
      // logrotate skips backup and package-manager leftovers the same way.
      if (/(?:\.dpkg-[a-z]+|\.rpm[a-z]+|~|\.bak|\.disabled)$/.test(path)) continue;
      const text = await fs.text(path);
      if (text !== null) rules.push(...parseLogrotate(path, text, top.globals).rules);
    }
  }
  return rules;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${escaped}$`);
}

export function ruleFor(rules: readonly RotationRule[], path: string): RotationRule | undefined {
  // logrotate refuses a file named in two blocks; the first one is the one it uses.
  return rules.find((r) => r.patterns.some((p) => globToRegExp(p).test(path)));
}

/** Days a rotated file's content is kept at most; null when it depends on size alone or on nothing said. */
export function keptDays(rule: RotationRule): number | null {
  if (rule.periodDays === null) return null;
  const rotations = rule.rotate === null ? 0 : Math.max(0, rule.rotate);
  const byCount = (rotations + 1) * rule.periodDays;
  return rule.maxAgeDays === null ? byCount : Math.min(byCount, rule.maxAgeDays + rule.periodDays);
}

const WEEK = 7;

export function logrotateCheck(kernelFiles: readonly string[], rules: readonly RotationRule[] | null): Check {
  const id = 'logrotate';
  const title = 'log rotation';
  const why =
    'logrotate deletes the oldest syslog files: a death found later than that has lost its kernel record';
  if (kernelFiles.length === 0) {
    return check(id, title, 'ok', 'no syslog file keeps kernel messages, so none is rotated away', why);
  }
  if (rules === null) {
    return check(id, title, 'ok', `no /etc/logrotate.conf: ${kernelFiles.join(', ')} are never rotated`, why);
  }
  const found: string[] = [];
  let worst: { days: number; file: string; rule: RotationRule } | null = null;
  for (const file of kernelFiles) {
    const rule = ruleFor(rules, file);
    if (!rule) {
      found.push(`${file}: not rotated`);
      continue;
    }
    const days = keptDays(rule);
    if (days === null) {
      found.push(`${file}: rotated by size (${rule.file})`);
      continue;
    }
    found.push(
      `${file}: ~${formatDays(days)} (rotate ${rule.rotate ?? 0}, ${periodWord(rule.periodDays!)}, ${rule.file})`,
    );
    if (worst === null || days < worst.days) worst = { days, file, rule };
  }
  if (worst !== null && worst.days < WEEK) {
    const status = worst.days <= 1 ? 'fail' : 'warn';
    const rotate = Math.ceil(28 / (worst.rule.periodDays ?? 7));
    return check(
      id,
      title,
      status,
      found.join('; '),
      why,
      `in ${worst.rule.file}, in the block of ${worst.file}: set \`rotate ${rotate}\` (keeps ~4 weeks)`,
    );
  }
  return check(id, title, 'ok', found.join('; '), why);
}

function periodWord(days: number): string {
  return Object.entries(PERIODS).find(([, d]) => d === days)?.[0] ?? `${days} days`;
}

function formatDays(days: number): string {
  return days < 1 ? `${Math.round(days * 24)} hours` : `${days} day${days === 1 ? '' : 's'}`;
}
