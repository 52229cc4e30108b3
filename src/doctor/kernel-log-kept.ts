// The question the journal and syslog checks answer together: will the kernel's kill record outlive a reboot and the
// ring buffer's turnover? One of the two keeping it is enough; neither is the failure doctor exists to find.
import { type Check, check } from './check.js';
import { type JournalFacts, persistentJournalFix } from './journald.js';
import { type SyslogFacts, syslogKeepsKernel } from './syslog-daemons.js';

/** Where kernel records are kept past a reboot, or null. */
export function kernelRecordsKeptIn(journal: JournalFacts, syslog: SyslogFacts): string | null {
  const places: string[] = [];
  if (journal.present && journal.storage === 'persistent') places.push('the persistent journal');
  if (syslogKeepsKernel(syslog)) places.push(syslog.kernelFiles.join(', '));
  return places.length > 0 ? places.join(' and ') : null;
}

/** Where a daemon's (earlyoom's, systemd-oomd's) own lines are kept: the journal, or a syslog catch-all file. */
export function daemonLinesKeptIn(journal: JournalFacts, syslog: SyslogFacts): string | null {
  if (journal.present && journal.storage === 'persistent') return 'the persistent journal';
  const catchAll = syslog.kernelFiles.filter((f) => /\/(?:syslog|messages)$/.test(f));
  return syslogKeepsKernel(syslog) && catchAll.length > 0 ? catchAll.join(', ') : null;
}

export function kernelLogKeptCheck(journal: JournalFacts, syslog: SyslogFacts): Check {
  const kept = kernelRecordsKeptIn(journal, syslog);
  const why =
    "the kernel's `Killed process` line is the death certificate; the ring buffer alone loses it at reboot or when newer messages push it out";
  if (kept !== null)
    return check('kernel-log-kept', 'kernel log kept', 'ok', `kernel records are kept in ${kept}`, why);
  return check(
    'kernel-log-kept',
    'kernel log kept',
    'fail',
    'no persistent journal and no syslog file keeps kernel messages: only the ring buffer (dmesg) holds them',
    why,
    journal.present
      ? persistentJournalFix(journal)
      : 'apt-get install rsyslog   (or: dnf install rsyslog), then systemctl enable --now rsyslog',
  );
}
