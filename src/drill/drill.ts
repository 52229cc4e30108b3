// `oomsleuth drill`: proves, on this machine, that the chain from an OOM kill to its explanation holds. It provokes a
// real, contained kill (a hog in a memory cgroup of its own), reads the kernel's record of it from /dev/kmsg, runs
// the analyze pipeline on those lines with a guardian's lines around the death, and, given webhooks, sends the
// incident and times each answer. The cgroup, the hog and the temporary files are removed whatever happens.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { incidentAlert } from '../alert/payload.js';
import { sendTrial, type TrialResult } from '../alert/trial.js';
import type { Webhook } from '../alert/webhook.js';
import { analyze } from '../analyze/analyze.js';
import type { Cause, Confidence } from '../contract/analysis.js';
import { OomsleuthError } from '../errors.js';
import { checkText, guardianStamp } from '../guard/check-log.js';
import { findOwnMemcg, memcgName, type OwnMemcg } from '../guard/memcg.js';
import type { Language } from '../report/language.js';
import {
  type CgroupPlace,
  createDrillCgroup,
  type DrillCgroup,
  KERNEL_CGROUP_FILES,
  placeFor,
} from './drill-cgroup.js';
import { HOG_NAME, type Hog, startHog } from './hog.js';
import {
  dmesgLine,
  type KernelRecord,
  type KernelWindow,
  KMSG_PATH,
  openDmesgWindow,
  openKernelWindow,
} from './kernel-window.js';

export const DRILL_SCHEMA = 'oomsleuth.drill/1';
const MIB = 2 ** 20;
export const DEFAULT_LIMIT_BYTES = 32 * MIB;
const KILL_TIMEOUT_MS = 20_000;
const RECORD_WAIT_MS = 5_000;

export interface DrillReport {
  readonly schema: typeof DRILL_SCHEMA;
  readonly host: string;
  /** The chain held: killed, recorded by the kernel, judged oom-killer/confirmed, alerted (if asked), cleaned up. */
  readonly ok: boolean;
  readonly cgroup: {
    readonly version: 1 | 2;
    readonly path: string;
    /** Its folder in the cgroup filesystem: gone again when `removed`. */
    readonly dir: string;
    readonly limitBytes: number;
    readonly removed: boolean;
  };
  readonly victim: {
    readonly name: string;
    readonly pid: number;
    readonly signal: string | null;
    readonly exitCode: number | null;
    /** From the hog's start to its death. */
    readonly diedAfterMs: number | null;
  };
  readonly oomKillCounter: { readonly before: number; readonly after: number | null };
  readonly kernel: {
    readonly via: string;
    /** The OOM report of the kill, as dmesg prints it. */
    readonly lines: readonly string[];
    readonly killedLine: string | null;
  };
  readonly verdict: {
    readonly cause: Cause;
    readonly confidence: Confidence;
    readonly pid: number | null;
    readonly evidence: readonly string[];
  } | null;
  readonly alerts: readonly (TrialResult & { readonly afterDeathMs: number })[];
  readonly problems: readonly string[];
}

export interface DrillOptions {
  readonly webhooks: readonly Webhook[];
  readonly zone: string;
  /** The alert's language (chat formats). */
  readonly language?: Language;
  readonly limitBytes?: number;
  readonly host?: string;
  /** Read the kernel log through `dmesg --raw` even where /dev/kmsg opens (tests of the fallback). */
  readonly kernelLog?: 'kmsg' | 'dmesg';
  /** Each step as it happens, for a progress line. */
  readonly onStep?: (step: string) => void;
}

function refuse(reason: string): OomsleuthError {
  return new OomsleuthError('OOMS_E_DRILL_REFUSED', `drill: ${reason} [OOMS_E_DRILL_REFUSED]`);
}

/** What preflight reads of this machine (the real one by default; tests hand in another). */
export interface MachineFacts {
  readonly platform: NodeJS.Platform;
  readonly uid: number | undefined;
  panicOnOom(): Promise<string>;
  ownMemcg(): Promise<OwnMemcg>;
  place(own: OwnMemcg): Promise<CgroupPlace>;
}

const THIS_MACHINE: MachineFacts = {
  platform: process.platform,
  uid: process.getuid?.(),
  // World-readable wherever procfs is; without it the kernel's default, 0, is the only guess.
  panicOnOom: async () => (await readFile('/proc/sys/vm/panic_on_oom', 'utf8').catch(() => '0')).trim(),
  ownMemcg: findOwnMemcg,
  place: (own) => placeFor(own),
};

/** Everything that must hold before anything is touched; throws OOMS_E_DRILL_REFUSED with the reason and the fix. */
export async function preflight(machine: MachineFacts = THIS_MACHINE): Promise<CgroupPlace> {
  if (machine.platform !== 'linux')
    throw refuse(`memory cgroups are Linux only (this is ${machine.platform})`);
  if (machine.uid !== 0) {
    throw refuse(
      `needs root (uid is ${machine.uid}): it makes a memory cgroup and reads the kernel log from ${KMSG_PATH} — run: sudo oomsleuth drill`,
    );
  }
  if ((await machine.panicOnOom()) === '2') {
    throw refuse(
      'vm.panic_on_oom=2: even an OOM inside a memory cgroup would panic this machine — set it to 0 first (sysctl -w vm.panic_on_oom=0)',
    );
  }
  let own: OwnMemcg;
  try {
    own = await machine.ownMemcg();
  } catch (error) {
    throw refuse((error as Error).message);
  }
  try {
    return await machine.place(own);
  } catch (error) {
    throw refuse((error as Error).message);
  }
}

/** The records of the kill of `pid`: from the `invoked oom-killer` that starts its report to its `Killed process`. */
export function oomReportOf(records: readonly KernelRecord[], pid: number): KernelRecord[] {
  const killed = records.findIndex((r) => r.text.includes(`Killed process ${pid} (`));
  if (killed < 0) return [];
  let start = killed;
  for (let i = killed; i >= 0; i--) {
    if (records[i]!.text.includes(' invoked oom-killer: ')) {
      start = i;
      break;
    }
  }
  // The reaper's line, when it came, closes the report.
  const reaped = records.findIndex(
    (r, i) => i > killed && r.text.includes(`oom_reaper: reaped process ${pid} (`),
  );
  return records.slice(start, (reaped < 0 ? killed : reaped) + 1);
}

export async function runDrill(options: DrillOptions): Promise<DrillReport> {
  const step = options.onStep ?? (() => undefined);
  const limitBytes = options.limitBytes ?? DEFAULT_LIMIT_BYTES;
  const host = options.host ?? hostname();
  const place = await preflight();
  let window: KernelWindow;
  try {
    window = options.kernelLog === 'dmesg' ? await openDmesgWindow() : await openKernelWindow();
  } catch (kmsgError) {
    try {
      window = await openDmesgWindow();
    } catch (dmesgError) {
      const code = (kmsgError as NodeJS.ErrnoException).code ?? (kmsgError as Error).message;
      throw refuse(
        `cannot read the kernel log, where the kill record is: ${KMSG_PATH} (${code}) nor dmesg --raw (${(dmesgError as Error).message})`,
      );
    }
  }

  const problems: string[] = [];
  const work = await mkdtemp(join(tmpdir(), 'oomsleuth-drill-'));
  let cgroup: DrillCgroup | null = null;
  let hog: Hog | null = null;
  let cleaned: Promise<boolean> | null = null;
  // Idempotent: run by the finally below, and first by a signal that ends the drill early.
  const cleanup = (): Promise<boolean> => {
    cleaned ??= (async () => {
      hog?.kill();
      let removed = true;
      if (cgroup !== null) {
        removed = await cgroup.remove().then(
          () => true,
          (error: Error) => {
            problems.push(`${error.message} [OOMS_E_DRILL_CGROUP_LEFT]`);
            return false;
          },
        );
        removed &&= !(await KERNEL_CGROUP_FILES.exists(cgroup.dir));
      }
      await window.close().catch(() => undefined);
      await rm(work, { recursive: true, force: true });
      return removed;
    })();
    return cleaned;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`oomsleuth drill: ${signal}, removing the drill's cgroup before exiting\n`);
    void cleanup().finally(() =>
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15)),
    );
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.once(signal, onSignal);

  try {
    try {
      cgroup = await createDrillCgroup(place, memcgName('oom', 'drill'), limitBytes);
    } catch (error) {
      throw refuse(`cannot make a memory cgroup under ${place.parentDir}: ${(error as Error).message}`);
    }
    step(`cgroup v${cgroup.version} ${cgroup.cgroupPath}, limit ${limitBytes / MIB} MiB`);
    const before = await cgroup.oomKills();
    await mkdir(join(work, 'bin'));
    const startedAt = Date.now();
    hog = await startHog(join(work, 'bin'), cgroup.dir, limitBytes);
    const pid = hog.pid;
    step(`${HOG_NAME} pid ${pid} allocating`);
    const exit = await Promise.race([hog.exited, sleep(KILL_TIMEOUT_MS, null, { ref: false })]);
    if (exit === null)
      problems.push(`${HOG_NAME} (pid ${pid}) was not killed within ${KILL_TIMEOUT_MS / 1000} s`);
    else if (exit.signal !== 'SIGKILL') {
      problems.push(
        `${HOG_NAME} (pid ${pid}) ended with ${exit.signal ?? `exit code ${exit.code}`}, not SIGKILL${exit.code === 3 ? ': it could not join its cgroup' : ''}`,
      );
    }
    const records = await window.collect(
      (rs) => rs.some((r) => r.text.includes(`Killed process ${pid} (`)),
      exit === null ? 0 : RECORD_WAIT_MS,
    );
    const after = await cgroup.oomKills().catch((error: Error) => {
      problems.push(error.message);
      return null;
    });
    const report = oomReportOf(records, pid);
    const killed = report.find((r) => r.text.includes(`Killed process ${pid} (`)) ?? null;
    if (exit !== null && killed === null) {
      problems.push(`no "Killed process ${pid} (" record in ${window.via} within ${RECORD_WAIT_MS / 1000} s`);
    }
    if (after !== null && after <= before)
      problems.push(`the cgroup's oom_kill counter did not rise (${before} → ${after})`);

    const verdict =
      exit !== null && killed !== null
        ? await judge(work, records, window.via, killed, pid, startedAt, exit.atMs, options.zone).catch(
            (error: Error) => {
              problems.push(`analyze could not read the captured records: ${error.message}`);
              return null;
            },
          )
        : null;
    if (
      verdict !== null &&
      (verdict.incident?.cause !== 'oom-killer' || verdict.incident.confidence !== 'confirmed')
    ) {
      problems.push(
        `analyze judged the death ${verdict.incident ? `${verdict.incident.cause}/${verdict.incident.confidence}` : 'not at all'}, not oom-killer/confirmed`,
      );
    }

    let alerts: (TrialResult & { afterDeathMs: number })[] = [];
    if (options.webhooks.length > 0 && verdict?.incident && exit !== null) {
      const incident = verdict.incident;
      const decisive = incident.evidence.findIndex((e) => e.text.includes('Killed process'));
      const doc = incidentAlert(
        `drill-${host}-${pid}-${startedAt}`,
        host,
        HOG_NAME,
        'app',
        incident,
        decisive < 0 ? null : decisive,
      );
      const sentAt = Date.now();
      alerts = (await sendTrial(doc, options.webhooks, options.language ?? 'en')).map((r) => ({
        ...r,
        afterDeathMs: sentAt + r.latencyMs - exit.atMs,
      }));
      for (const alert of alerts) if (!alert.ok) problems.push(`webhook ${alert.webhook}: ${alert.detail}`);
    }

    const removed = await cleanup();
    return {
      schema: DRILL_SCHEMA,
      host,
      ok: problems.length === 0 && removed,
      cgroup: { version: cgroup.version, path: cgroup.cgroupPath, dir: cgroup.dir, limitBytes, removed },
      victim: {
        name: HOG_NAME,
        pid,
        signal: exit?.signal ?? null,
        exitCode: exit?.code ?? null,
        diedAfterMs: exit === null ? null : exit.atMs - startedAt,
      },
      oomKillCounter: { before, after },
      kernel: { via: window.via, lines: report.map(dmesgLine), killedLine: killed?.text ?? null },
      verdict:
        verdict?.incident == null
          ? null
          : {
              cause: verdict.incident.cause,
              confidence: verdict.incident.confidence,
              pid: verdict.incident.pid,
              evidence: verdict.incident.evidence.map((e) => `${e.source}:${e.line ?? '?'} ${e.says}`),
            },
      alerts,
      problems,
    };
  } finally {
    await cleanup();
    for (const signal of signals) process.off(signal, onSignal);
  }
}

/**
 * analyze's verdict on the kill: the kernel's records as /dev/kmsg gave them, with a guardian's check lines around
 * the death (alive when the hog started, gone a second after it died), as an operator's folder would hold them.
 */
async function judge(
  work: string,
  records: readonly KernelRecord[],
  via: string,
  killed: KernelRecord,
  pid: number,
  startedAtMs: number,
  exitAtMs: number,
  zone: string,
) {
  const folder = join(work, 'evidence');
  await mkdir(folder);
  // As they were read: /dev/kmsg records, or dmesg's lines.
  const name = via === KMSG_PATH ? 'kmsg.txt' : 'dmesg.txt';
  await writeFile(join(folder, name), records.map((r) => `${r.raw}\n`).join(''));
  const alive = Math.floor(startedAtMs / 1000) * 1000;
  const gone = Math.ceil(exitAtMs / 1000) * 1000 + 1000;
  await writeFile(
    join(folder, 'check.log'),
    `${guardianStamp(alive)} ${checkText(HOG_NAME, 1)}\n${guardianStamp(gone)} ${checkText(HOG_NAME, 0)}\n`,
  );
  // The kill record's own stamp is anchored on the moment its SIGKILL was seen: printk's clock may drift from the
  // wall clock over a long uptime, and the guardian's window is only seconds wide.
  const bootTimeMs = exitAtMs - killed.usec / 1000;
  const analysis = await analyze({
    paths: [folder],
    app: HOG_NAME,
    zone,
    year: null,
    bootTimeMs,
    since: null,
    until: null,
  });
  return { incident: analysis.incidents.find((i) => i.pid === pid) ?? analysis.incidents[0] ?? null };
}
