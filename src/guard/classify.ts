// Why the child died, decided at once from what the guard saw: its exit status, the kernel's OOM records for its pid,
// its memory cgroup's oom_kill counter, and its last words in the app log. The contract's precedence (CONTRACT.md
// §2): a record of who killed the process wins over what the process printed while dying.
import type { Cause, Confidence, Evidence, MissingSource, OomFigures } from '../contract/analysis.js';
import { formatDuration, formatKb } from '../report/sizes.js';
import type { AppLastWords } from './app-log-tail.js';
import { formatUptime } from './check-log.js';
import { type KernelKill, kernelKillFigures } from './kernel-oom-record.js';
import { localIso } from './local-time.js';

/** How the child ended as its parent saw it; null fields when it ended otherwise (a code, or a signal). */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface DeathFacts {
  readonly name: string;
  readonly pid: number;
  readonly diedAtMs: number;
  readonly uptimeMs: number | null;
  /** null when the guard is not the parent (an adopted or outside process): no exit status can be known. */
  readonly exit: ChildExit | null;
  /** Set when the guard itself asked the child to stop. */
  readonly stop: { readonly why: string; readonly killedAfterMs: number | null } | null;
  readonly kernel: {
    /** `/dev/kmsg`, `journal`, or null when unreadable. */
    readonly via: string | null;
    readonly problem: string | null;
    readonly kill: KernelKill | null;
  };
  /** The child's memory cgroup and its oom_kill counter at the start and the end of the life. */
  readonly memcg: {
    readonly path: string;
    /** The file the counter is read from (evidence source). */
    readonly counterFile: string;
    /** True when only the child (and its own children) live in it: a rise is this child's kill. */
    readonly own: boolean;
    readonly before: number | null;
    readonly after: number | null;
    readonly limitKb: number | null;
  } | null;
  /** /proc/vmstat oom_kill at the start and the end of the life: any OOM kill on the machine. */
  readonly vmstat: { readonly before: number | null; readonly after: number | null };
  /** The last sample's cgroup charge was at 90% of the limit or more. */
  readonly nearLimit: boolean;
  readonly words: AppLastWords;
  readonly appLogPath: string;
}

export interface Verdict {
  readonly cause: Cause;
  readonly confidence: Confidence;
  readonly missing: MissingSource[];
  /** The rest of the death line after `cause (confidence): `. */
  readonly detail: string;
  readonly oom: OomFigures | null;
  readonly evidence: Evidence[];
}

const GUARD_SOURCE = 'oomsleuth guard';
// Signals the process did not ask for and cannot have meant as a stop: its own fault.
const FAULT_SIGNALS = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGABRT', 'SIGSYS', 'SIGTRAP']);
// Signals a person or a service manager stops a process with.
const STOP_SIGNALS = new Set(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT']);

/** `signal SIGKILL`, `exit code 2`, `exit status unknown`. */
export function describeExit(exit: ChildExit | null): string {
  if (exit === null) return 'exit status unknown';
  if (exit.signal !== null) return `signal ${exit.signal}`;
  return `exit code ${exit.code ?? '?'}`;
}

/** The cause of one death with its evidence (pure: every fact is in `facts`). */
export function classifyDeath(facts: DeathFacts, iso: (ms: number) => string = localIso): Verdict {
  const at = (ms: number | null) => (ms === null ? null : iso(ms));
  const evidence: Evidence[] = [];
  const { exit, kernel, memcg, words, pid } = facts;
  const uptime = facts.uptimeMs === null ? '' : ` after ${formatUptime(facts.uptimeMs)}`;
  evidence.push({
    source: GUARD_SOURCE,
    line: null,
    time: at(facts.diedAtMs),
    text: `${facts.name} pid ${pid}: ${describeExit(exit)}${uptime}`,
    says:
      exit === null
        ? `pid ${pid} is gone; the guard was not its parent, so its exit status is unknown`
        : exit.signal !== null
          ? `the child was killed by ${exit.signal}${uptime}`
          : `the child exited with code ${exit.code}${uptime}`,
  });
  const kernelEvidence = (): void => {
    const kill = kernel.kill;
    if (kill === null) return;
    for (const e of [kill.invoked, kill.constraint, kill.killed]) {
      if (e === null) continue;
      evidence.push({
        source: kernel.via ?? 'kernel',
        line: null,
        time: at(e.atMs),
        text: e.event.record.message,
        says:
          e.event.type === 'oom.killed'
            ? `kernel OOM kill of pid ${e.event.pid}`
            : e.event.type === 'oom.constraint'
              ? `kernel OOM summary: ${e.event.scope ?? 'unknown'} scope${e.event.oomMemcg ? `, cgroup ${e.event.oomMemcg}` : ''}`
              : `${e.event.trigger} invoked the OOM killer`,
      });
    }
  };
  const counterRose =
    memcg !== null && memcg.before !== null && memcg.after !== null && memcg.after > memcg.before;
  const counterEvidence = (): void => {
    if (memcg === null || !counterRose) return;
    evidence.push({
      source: memcg.counterFile,
      line: null,
      time: at(facts.diedAtMs),
      text: `oom_kill ${memcg.after}`,
      says: `the oom_kill counter of memory cgroup ${memcg.path} rose from ${memcg.before} to ${memcg.after} during this life`,
    });
  };
  const wordsEvidence = (event: { record: { text: string } } | null, says: string): void => {
    if (event === null) return;
    evidence.push({ source: facts.appLogPath, line: null, time: null, text: event.record.text, says });
  };
  const verdict = (
    cause: Cause,
    confidence: Confidence,
    detail: string,
    extra: { oom?: OomFigures | null; missing?: MissingSource[] } = {},
  ): Verdict => ({
    cause,
    confidence,
    detail,
    oom: extra.oom ?? null,
    missing: extra.missing ?? [],
    evidence,
  });
  const sigkillOrUnknown = exit === null || exit.signal === 'SIGKILL';

  // 1. The kernel names this pid: the OOM killer, whatever else happened.
  if (kernel.kill !== null) {
    kernelEvidence();
    counterEvidence();
    const figures = kernelKillFigures(kernel.kill);
    const rss = figures.anonRssKb === null ? '' : `, anon-rss ${formatKb(figures.anonRssKb)}`;
    const limit =
      figures.scope === 'memcg' && memcg?.limitKb ? `, memory cgroup limit ${formatKb(memcg.limitKb)}` : '';
    return verdict('oom-killer', 'confirmed', `kernel killed pid ${pid}${rss}${limit}`, { oom: figures });
  }
  const kernelMissing: MissingSource[] = kernel.via === null ? ['kernel-log'] : [];
  const unread =
    kernel.via === null ? ` (kernel log not readable: ${kernel.problem ?? 'unknown reason'})` : '';

  // 2. The child's own cgroup counted an OOM kill: only the child lives there, so the victim was the child.
  if (sigkillOrUnknown && counterRose && memcg !== null) {
    counterEvidence();
    const oom: OomFigures = {
      scope: 'memcg',
      cgroup: memcg.own ? memcg.path : null,
      invokedBy: null,
      totalVmKb: null,
      anonRssKb: null,
      fileRssKb: null,
      shmemRssKb: null,
      oomScoreAdj: null,
    };
    const rise = `oom_kill of memory cgroup ${memcg.path} rose ${memcg.before}→${memcg.after}`;
    if (memcg.own) {
      return verdict('oom-killer', 'confirmed', `${rise}${unread}`, { oom, missing: kernelMissing });
    }
    return verdict(
      'oom-killer',
      'likely',
      `${rise}, a cgroup it shares with other processes, and no kernel record names pid ${pid}${unread}`,
      { oom, missing: kernelMissing },
    );
  }

  // 3. The guard stopped it (a SIGKILL after the grace period is still our stop).
  if (facts.stop !== null) {
    const how =
      facts.stop.killedAfterMs === null
        ? `SIGTERM from the guard (${facts.stop.why})`
        : `SIGTERM from the guard (${facts.stop.why}), SIGKILL after ${formatDuration(facts.stop.killedAfterMs)} without exiting`;
    evidence.push({
      source: GUARD_SOURCE,
      line: null,
      time: at(facts.diedAtMs),
      text: how,
      says: 'the guard stopped it',
    });
    wordsEvidence(words.shutdown, 'the app caught the signal and shut down');
    return verdict('stopped', 'confirmed', how);
  }

  const known: Confidence = exit === null ? 'likely' : 'confirmed';
  // 4. What the process printed while dying.
  if (words.runtimeOom !== null) {
    wordsEvidence(words.runtimeOom, 'the runtime could not allocate memory and aborted');
    return verdict('runtime-oom', known, words.runtimeOom.message);
  }
  if (words.panic !== null) {
    wordsEvidence(words.panic, 'the app crashed');
    return verdict('crash', known, words.panic.message);
  }
  if (exit?.signal && FAULT_SIGNALS.has(exit.signal)) {
    return verdict('crash', 'confirmed', `killed by ${exit.signal}, a fault of its own`);
  }
  if (words.shutdown !== null || (exit?.signal && STOP_SIGNALS.has(exit.signal))) {
    wordsEvidence(words.shutdown, 'the app caught a signal and shut down');
    const what = words.shutdown ? `it printed "${words.shutdown.record.text}"` : `${exit?.signal}`;
    return verdict(
      'stopped',
      'likely',
      `${what}, not sent by the guard: someone else stopped it (an OOM daemon such as earlyoom sends SIGTERM first: see the system log)`,
      { missing: kernelMissing },
    );
  }

  // 5. A SIGKILL (or an unknown end) with no record of the OOM killer.
  if (sigkillOrUnknown) {
    const vmstatRose =
      facts.vmstat.before !== null && facts.vmstat.after !== null && facts.vmstat.after > facts.vmstat.before;
    if (kernel.via === null && (vmstatRose || facts.nearLimit)) {
      const why = vmstatRose
        ? `the machine's oom_kill count rose ${facts.vmstat.before}→${facts.vmstat.after} during its life`
        : 'its memory cgroup was at its limit';
      return verdict('oom-killer', 'likely', `SIGKILL and ${why}${unread}`, { missing: ['kernel-log'] });
    }
    const end = exit === null ? 'it ended' : 'SIGKILL';
    const detail =
      kernel.via === null
        ? `${end} and nothing says who killed it${unread}`
        : `${end} and no kernel OOM record for pid ${pid} in ${kernel.via}: a kill from user space (kill -9, pkill, stop.sh, the app's own start-up check) or an OOM daemon — the system log would tell`;
    return verdict('unexplained', 'possible', detail, { missing: ['kernel-log'] });
  }

  // 6. It exited by itself.
  if (words.portInUse !== null) {
    wordsEvidence(words.portInUse, 'a second copy found the port in use and exited');
    return verdict('crash', 'likely', `exit code ${exit?.code}: the port is in use (another copy running?)`);
  }
  if (exit?.code !== 0) {
    return verdict(
      'crash',
      'likely',
      `exit code ${exit?.code ?? '?'} with no panic or fatal error in the app log`,
    );
  }
  return verdict('unexplained', 'possible', 'exited with code 0 by itself, no last words in the app log');
}
