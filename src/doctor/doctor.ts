// `oomsleuth doctor`: will the evidence of the next death survive, and be found? Reads this machine's config and
// /proc (through one root, so tests hand it a fake tree), then judges each part: journal, syslog, rotation, the
// kernel's OOM settings, swap, OOM daemons and, given the app's folder, its guardian and its memory headroom.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { type Check, DOCTOR_SCHEMA, type DoctorReport } from './check.js';
import { appNameOf, guardianCheck, readGuardianFacts } from './guardian.js';
import { headroomCheck, readMemoryFacts } from './headroom.js';
import { journalCheck, persistentJournalFix, readJournalFacts } from './journald.js';
import { daemonLinesKeptIn, kernelLogKeptCheck } from './kernel-log-kept.js';
import { kernelSettingChecks, readKernelSettings, readSwap, swapCheck } from './kernel-settings.js';
import { logrotateCheck, readRotationRules } from './logrotate.js';
import { oomDaemonCheck, readOomDaemons } from './oom-daemons.js';
import { readProcessTable } from './processes.js';
import { RootFs } from './root-fs.js';
import { readSyslogFacts, syslogCheck, syslogKeepsKernel } from './syslog-daemons.js';

export interface DoctorOptions {
  /** Where `/` is (default `/`). */
  readonly root?: string;
  /** The app's folder, as a path on the machine checked. */
  readonly folder?: string | null;
  /** Whether oomsleuth runs as root (reads dmesg whatever dmesg_restrict says). */
  readonly isRoot?: boolean;
  readonly host?: string;
  readonly nowMs?: number;
}

export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const root = options.root ?? '/';
  const fs = new RootFs(root);
  const folder = options.folder ? resolve(options.folder) : null;
  const processes = await readProcessTable(fs);

  const journal = await readJournalFacts(fs);
  const syslog = await readSyslogFacts(fs, processes);
  const rules = await readRotationRules(fs);
  const checks: Check[] = [
    journalCheck(journal),
    syslogCheck(syslog, journal.present && journal.storage === 'persistent'),
    kernelLogKeptCheck(journal, syslog),
    logrotateCheck(syslogKeepsKernel(syslog) ? syslog.kernelFiles : [], rules),
    ...kernelSettingChecks(await readKernelSettings(fs), options.isRoot ?? process.getuid?.() === 0),
    swapCheck(await readSwap(fs)),
    oomDaemonCheck(
      await readOomDaemons(fs, processes),
      daemonLinesKeptIn(journal, syslog),
      persistentJournalFix(journal),
    ),
  ];

  const app = folder === null ? null : await appNameOf(fs, folder);
  const guardian = folder === null ? null : await readGuardianFacts(fs, folder);
  if (folder !== null && app !== null && guardian !== null) checks.push(guardianCheck(guardian, folder, app));
  checks.push(headroomCheck(await readMemoryFacts(fs, processes, app, guardian), app));

  const count = (status: Check['status']) => checks.filter((c) => c.status === status).length;
  return {
    schema: DOCTOR_SCHEMA,
    host: options.host ?? hostname(),
    generatedAt: new Date(options.nowMs ?? Date.now()).toISOString(),
    root,
    folder,
    app,
    checks,
    summary: { ok: count('ok'), warn: count('warn'), fail: count('fail') },
  };
}
