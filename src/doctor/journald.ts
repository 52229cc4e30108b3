// journald: where it stores the journal (persistent under /var/log/journal, or volatile in /run, lost at reboot) and
// how much it keeps. journald.conf(5): the main file, then drop-ins `*.conf` from /usr/lib, /run and /etc (a name in
// /etc hides the same name elsewhere), applied in the order of their names, later values winning.
import { basename } from 'node:path';
import { parseSize } from '../options/size.js';
import { type Check, check } from './check.js';
import type { RootFs } from './root-fs.js';
import { describeSeconds, iniSection, parseTimeSpan } from './systemd-values.js';

export interface JournalFacts {
  /** journald is on this machine (its config, its binary or its socket folder is there). */
  readonly present: boolean;
  /** `Storage=` as configured (default `auto`). */
  readonly storageSetting: string;
  /** What that means here: auto is persistent only when /var/log/journal exists. */
  readonly storage: 'persistent' | 'volatile' | 'none';
  readonly maxUseBytes: number | null;
  readonly maxRetentionSec: number | null;
  /** The config files read, in order. */
  readonly files: readonly string[];
}

const MAIN_FILES = ['/etc/systemd/journald.conf', '/usr/lib/systemd/journald.conf'];
const DROP_IN_DIRS = [
  '/usr/lib/systemd/journald.conf.d',
  '/run/systemd/journald.conf.d',
  '/etc/systemd/journald.conf.d',
];
const PRESENCE = [
  '/lib/systemd/systemd-journald',
  '/usr/lib/systemd/systemd-journald',
  '/run/systemd/journal',
];
const PERSISTENT_DIR = '/var/log/journal';
/** Below this, a busy server's journal holds days, not weeks. */
const SMALL_MAX_USE = 64 * 2 ** 20;
const WEEK_SEC = 7 * 86_400;

export async function readJournalFacts(fs: RootFs): Promise<JournalFacts> {
  const files: string[] = [];
  let values = new Map<string, string>();
  for (const path of MAIN_FILES) {
    const text = await fs.text(path);
    if (text === null) continue;
    files.push(path);
    values = iniSection(text, 'Journal');
    break;
  }
  const dropIns = new Map<string, string>();
  for (const dir of DROP_IN_DIRS) {
    for (const name of await fs.list(dir)) if (name.endsWith('.conf')) dropIns.set(name, `${dir}/${name}`);
  }
  for (const name of [...dropIns.keys()].sort()) {
    const path = dropIns.get(name)!;
    const text = await fs.text(path);
    if (text === null) continue;
    files.push(path);
    for (const [key, value] of iniSection(text, 'Journal')) values.set(key, value);
  }
  let present = files.length > 0;
  for (const path of PRESENCE) present ||= await fs.exists(path);

  const storageSetting = (values.get('Storage') || 'auto').toLowerCase();
  const persistentDir = await fs.isDirectory(PERSISTENT_DIR);
  const storage =
    storageSetting === 'persistent' || (storageSetting === 'auto' && persistentDir)
      ? 'persistent'
      : storageSetting === 'none'
        ? 'none'
        : 'volatile';
  const maxUse = values.get(storage === 'persistent' ? 'SystemMaxUse' : 'RuntimeMaxUse');
  const retention = values.get('MaxRetentionSec');
  return {
    present,
    storageSetting,
    storage,
    maxUseBytes: maxUse ? parseSize(maxUse) : null,
    maxRetentionSec: retention ? parseTimeSpan(retention) : null,
    files: files.map((f) => f),
  };
}

const DROP_IN_FIX =
  'set Storage=persistent in /etc/systemd/journald.conf.d/oomsleuth.conf ([Journal] section), then systemctl restart systemd-journald';

/** The exact way to a persistent journal from this configuration: a folder for `auto`, a drop-in otherwise. */
export function persistentJournalFix(facts: JournalFacts): string {
  return facts.storageSetting === 'auto'
    ? `mkdir -p ${PERSISTENT_DIR} && systemd-tmpfiles --create --prefix ${PERSISTENT_DIR} && systemctl restart systemd-journald`
    : DROP_IN_FIX;
}

export function journalCheck(facts: JournalFacts): Check {
  const title = 'journal storage';
  if (!facts.present) {
    return check(
      'journald',
      title,
      'ok',
      'no systemd-journald on this machine',
      'the kernel log must then be kept by a syslog daemon (see below)',
    );
  }
  const from = facts.files.length > 0 ? ` (${facts.files.map((f) => basename(f)).join(', ')})` : '';
  const setting = `Storage=${facts.storageSetting}${from}`;
  if (facts.storage === 'none') {
    return check(
      'journald',
      title,
      'warn',
      `${setting}: the journal keeps nothing`,
      'journald drops every record, kernel OOM kills included, so only a syslog daemon can keep them',
      DROP_IN_FIX,
    );
  }
  if (facts.storage === 'volatile') {
    return check(
      'journald',
      title,
      'warn',
      `${setting}: kept in /run only, lost at reboot${facts.storageSetting === 'auto' ? ` (${PERSISTENT_DIR} does not exist)` : ''}`,
      'a volatile journal is lost at every reboot, and a machine out of memory is often rebooted before anyone looks',
      persistentJournalFix(facts),
    );
  }
  const caps: string[] = [];
  if (facts.maxUseBytes !== null && facts.maxUseBytes < SMALL_MAX_USE) {
    caps.push(`SystemMaxUse=${Math.round(facts.maxUseBytes / 2 ** 20)}M`);
  }
  if (facts.maxRetentionSec !== null && facts.maxRetentionSec > 0 && facts.maxRetentionSec < WEEK_SEC) {
    caps.push(`MaxRetentionSec=${describeSeconds(facts.maxRetentionSec)}`);
  }
  if (caps.length > 0) {
    return check(
      'journald',
      title,
      'warn',
      `${setting}: persistent, but capped at ${caps.join(', ')}`,
      'a death found more than a few days late is already gone from a journal this small or this short',
      'set SystemMaxUse=500M and MaxRetentionSec=1month in /etc/systemd/journald.conf.d/oomsleuth.conf ([Journal] section), then systemctl restart systemd-journald',
    );
  }
  const kept = [
    facts.maxUseBytes !== null ? `SystemMaxUse=${Math.round(facts.maxUseBytes / 2 ** 20)}M` : null,
    facts.maxRetentionSec ? `MaxRetentionSec=${describeSeconds(facts.maxRetentionSec)}` : null,
  ].filter(Boolean);
  return check(
    'journald',
    title,
    'ok',
    `${setting}: persistent in ${PERSISTENT_DIR}${kept.length > 0 ? `, ${kept.join(', ')}` : ''}`,
    'kernel records survive a reboot in the journal',
  );
}
