// What restarts the app when it dies, and records that it died: a cron job running start.sh/check.sh from its
// folder, `oomsleuth guard` (its pid file `NAME.guard.pid` beside check.log), or a systemd unit with Restart=.
// A unit's OOMPolicy= and MemoryMax= say how systemd reacts to a kill and whether the kill is a memcg OOM.
import { basename } from 'node:path';
import { lockName } from '../guard/lock.js';
import { type Check, check } from './check.js';
import type { RootFs } from './root-fs.js';
import { iniSection } from './systemd-values.js';

export interface CronEntry {
  readonly file: string;
  readonly line: string;
}

export interface GuardEntry {
  readonly pidFile: string;
  readonly pid: number | null;
  /** Its pid runs, or its lock (an abstract unix socket named after the pid file) is held. */
  readonly alive: boolean;
  /** The child the guard runs, from its `.child` record. */
  readonly childPid: number | null;
}

export interface UnitEntry {
  readonly file: string;
  readonly restart: string | null;
  readonly oomPolicy: string | null;
  readonly memoryMax: string | null;
}

export interface GuardianFacts {
  readonly cron: readonly CronEntry[];
  readonly guards: readonly GuardEntry[];
  readonly units: readonly UnitEntry[];
  /** start.sh or check.sh is in the folder (a cron guardian that may not be scheduled). */
  readonly scripts: readonly string[];
  /** Crontab folders this user may not read (root's crontab, as a user): a guardian may hide there. */
  readonly unreadable: readonly string[];
}

const CRON_FILES = ['/etc/crontab'];
const CRON_DIRS = ['/etc/cron.d', '/var/spool/cron/crontabs', '/var/spool/cron'];
const UNIT_DIRS = ['/etc/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];
const GUARDIAN_SCRIPT = /(?:^|[\s/;])(?:start|check)\.sh\b/;
const CHECK_LINE = /^\d{8} \d{2}:\d{2}:\d{2} (?<name>\S+) PID check: \d+\s*$/;

/** The app's name: the name in the folder's check.log, else the folder's own name. */
export async function appNameOf(fs: RootFs, folder: string): Promise<string> {
  const text = await fs.text(`${folder}/check.log`);
  if (text !== null) {
    const lines = text.trimEnd().split('\n');
    for (let i = lines.length - 1; i >= 0 && i >= lines.length - 200; i--) {
      const name = CHECK_LINE.exec(lines[i]!)?.groups?.name;
      if (name) return name;
    }
  }
  return basename(folder);
}

async function cronEntries(fs: RootFs, folder: string): Promise<CronEntry[]> {
  const files = [...CRON_FILES];
  for (const dir of CRON_DIRS) {
    for (const name of await fs.list(dir)) {
      const path = `${dir}/${name}`;
      if (!(await fs.isDirectory(path))) files.push(path);
    }
  }
  const entries: CronEntry[] = [];
  for (const file of files) {
    const text = await fs.text(file);
    if (text === null) continue;
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      if (line.includes(folder) && GUARDIAN_SCRIPT.test(line)) entries.push({ file, line });
    }
  }
  return entries;
}

/** The guard locks held now: abstract socket names in /proc/net/unix (`@oomsleuth-guard:…`), read without taking one. */
async function heldLocks(fs: RootFs): Promise<Set<string>> {
  const text = (await fs.text('/proc/net/unix')) ?? '';
  const names = [...text.matchAll(/ @(?<name>oomsleuth-guard:[0-9a-f]+)$/gm)].map((m) => m.groups!.name!);
  return new Set(names);
}

async function guardEntries(fs: RootFs, folder: string): Promise<GuardEntry[]> {
  const entries: GuardEntry[] = [];
  const locks = await heldLocks(fs);
  for (const name of await fs.list(folder)) {
    if (!name.endsWith('.guard.pid')) continue;
    const pidFile = `${folder}/${name}`;
    const pid = Number((await fs.text(pidFile))?.trim());
    const valid = Number.isSafeInteger(pid) && pid > 0;
    const child = await fs.text(`${pidFile}.child`);
    let childPid: number | null = null;
    try {
      const record = child === null ? null : (JSON.parse(child) as { childPid?: unknown });
      if (typeof record?.childPid === 'number') childPid = record.childPid;
    } catch {
      // A child record that is not JSON names no child; the guard's own pid still says whether it runs.
    }
    entries.push({
      pidFile,
      pid: valid ? pid : null,
      alive: (valid && (await fs.exists(`/proc/${pid}/stat`))) || locks.has(lockName(pidFile).slice(1)),
      childPid,
    });
  }
  return entries;
}

async function unitEntries(fs: RootFs, folder: string): Promise<UnitEntry[]> {
  const seen = new Set<string>();
  const entries: UnitEntry[] = [];
  for (const dir of UNIT_DIRS) {
    for (const name of await fs.list(dir)) {
      if (!name.endsWith('.service') || seen.has(name)) continue;
      const file = `${dir}/${name}`;
      const text = await fs.text(file);
      if (text === null) continue;
      seen.add(name);
      let service = iniSection(text, 'Service');
      const runsHere = [service.get('WorkingDirectory'), service.get('ExecStart')].some((v) =>
        v?.split(/\s+/).some((word) => word === folder || word.startsWith(`${folder}/`)),
      );
      if (!runsHere) continue;
      // Drop-ins override the unit's own settings, in the order of their names.
      const dropInDir = `/etc/systemd/system/${name}.d`;
      for (const dropIn of await fs.list(dropInDir)) {
        const extra = await fs.text(`${dropInDir}/${dropIn}`);
        if (extra === null || !dropIn.endsWith('.conf')) continue;
        service = new Map([...service, ...iniSection(extra, 'Service')]);
      }
      entries.push({
        file,
        restart: service.get('Restart') ?? null,
        oomPolicy: service.get('OOMPolicy') ?? null,
        memoryMax: service.get('MemoryMax') ?? service.get('MemoryLimit') ?? null,
      });
    }
  }
  return entries;
}

export async function readGuardianFacts(fs: RootFs, folder: string): Promise<GuardianFacts> {
  const scripts: string[] = [];
  for (const name of ['start.sh', 'check.sh']) if (await fs.exists(`${folder}/${name}`)) scripts.push(name);
  const unreadable: string[] = [];
  for (const dir of CRON_DIRS) if ((await fs.listable(dir)) === 'unreadable') unreadable.push(dir);
  return {
    unreadable,
    cron: await cronEntries(fs, folder),
    guards: await guardEntries(fs, folder),
    units: await unitEntries(fs, folder),
    scripts,
  };
}

export function guardianCheck(facts: GuardianFacts, folder: string, app: string): Check {
  const id = 'guardian';
  const title = 'app guardian';
  const why =
    'a guardian restarts the app after a death and writes the check log that dates it; without one the app stays down and the death has no witness';
  const found: string[] = [];
  let restarts = false;
  const problems: { status: 'warn' | 'fail'; text: string; fix: string }[] = [];

  for (const entry of facts.cron) {
    found.push(`cron (${entry.file}): ${entry.line}`);
    restarts = true;
  }
  for (const guard of facts.guards) {
    if (guard.alive) {
      found.push(`oomsleuth guard pid ${guard.pid} (${guard.pidFile})`);
      restarts = true;
    } else {
      problems.push({
        status: 'warn',
        text: `${guard.pidFile} names pid ${guard.pid ?? '?'}, which is not running`,
        fix: `cd ${folder} && oomsleuth guard --daemon --name ${app} -- ./${app}`,
      });
    }
  }
  for (const unit of facts.units) {
    const restart = unit.restart ?? 'no';
    const settings = [
      `Restart=${restart}`,
      `OOMPolicy=${unit.oomPolicy ?? 'stop (default)'}`,
      unit.memoryMax
        ? `MemoryMax=${unit.memoryMax} (an OOM kill is a memcg OOM of this unit)`
        : 'no MemoryMax',
    ];
    found.push(`systemd unit ${basename(unit.file)}: ${settings.join(', ')}`);
    if (restart === 'no') {
      problems.push({
        status: 'warn',
        text: `${basename(unit.file)} has Restart=${restart}: systemd leaves the app dead after an OOM kill`,
        fix: `systemctl edit ${basename(unit.file)}   and add under [Service]: Restart=on-failure`,
      });
    } else restarts = true;
  }

  if (!restarts && problems.length === 0) {
    const scripts =
      facts.scripts.length > 0 ? ` (${facts.scripts.join(', ')} is there, but no crontab runs it)` : '';
    if (facts.unreadable.length > 0) {
      // Not knowing is not the same as knowing there is none.
      return check(
        id,
        title,
        'warn',
        `no guardian found for ${folder}${scripts}, but ${facts.unreadable.join(', ')} cannot be read by this user`,
        why,
        `sudo oomsleuth doctor ${folder}`,
      );
    }
    return check(
      id,
      title,
      'fail',
      `nothing restarts ${app}: no cron job, no oomsleuth guard, no systemd unit for ${folder}${scripts}`,
      why,
      facts.scripts.includes('start.sh')
        ? `(crontab -l; echo '*/1 * * * * ${folder}/start.sh') | crontab -`
        : `cd ${folder} && oomsleuth guard --daemon --name ${app} -- ./${app}`,
    );
  }
  const worst = problems.find((p) => p.status === 'fail') ?? problems[0];
  if (worst !== undefined) {
    return check(
      id,
      title,
      restarts ? 'warn' : 'fail',
      [...found, ...problems.map((p) => p.text)].join('; '),
      why,
      worst.fix,
    );
  }
  return check(id, title, 'ok', found.join('; '), why);
}
