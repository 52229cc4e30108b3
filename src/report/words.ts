// Every word oomsleuth says about a death, in one place: the causes, what is missing, what each cited line proves and
// why the deciding rule decided. The terminal report, the JSON's `says`, the guard's check.log line and the alerts
// all take their words from here, so they cannot tell one death two ways.
import type { Cause, MissingSource, OomFigures } from '../contract/analysis.js';
import type { FindingEvidence, GuardFact, Verdict } from '../correlate/finding.js';
import type { Event } from '../recognise/event.js';
import { signalName } from '../recognise/signal-names.js';
import { formatKb, formatUptime } from './sizes.js';

export const CAUSE_WORDS: Readonly<Record<Cause, string>> = {
  'oom-killer': 'killed by the kernel OOM killer',
  'oom-daemon': 'killed by a user-space OOM daemon',
  'runtime-oom': 'ran out of memory itself (runtime OOM)',
  crash: 'crashed',
  stopped: 'stopped deliberately',
  unexplained: 'died — cause unexplained',
};

/** A death of each cause, counted: `1 OOM kill`, `2 crashes` (the report's summary line). */
export const CAUSE_COUNT_WORDS: Readonly<Record<Cause, readonly [one: string, many: string]>> = {
  'oom-killer': ['OOM kill', 'OOM kills'],
  'oom-daemon': ['OOM-daemon kill', 'OOM-daemon kills'],
  'runtime-oom': ['runtime OOM', 'runtime OOMs'],
  crash: ['crash', 'crashes'],
  stopped: ['stop', 'stops'],
  unexplained: ['unexplained', 'unexplained'],
};

/** `3 deaths: 1 OOM kill, 1 crash, 1 stop`, causes in the contract's order; `no deaths found` for none. */
export function deathCountWords(causes: readonly Cause[]): string {
  if (causes.length === 0) return 'no deaths found';
  const counted = (Object.keys(CAUSE_COUNT_WORDS) as Cause[])
    .map((cause) => [cause, causes.filter((c) => c === cause).length] as const)
    .filter(([, n]) => n > 0)
    .map(([cause, n]) => `${n} ${CAUSE_COUNT_WORDS[cause][n === 1 ? 0 : 1]}`);
  return `${causes.length} ${causes.length === 1 ? 'death' : 'deaths'}: ${counted.join(', ')}`;
}

export const MISSING_WORDS: Readonly<Record<MissingSource, string>> = {
  'kernel-log': 'a kernel/system log covering the death (syslog, kern.log, journalctl -k, dmesg)',
  'guardian-log': 'the guardian log (check.log)',
  'app-log': "the app's own log (running.log)",
  'boot-time': 'the boot time for dmesg stamps (--boot-time)',
};

/** What a cited line proves, in a few words. */
export function says(e: FindingEvidence): string {
  switch (e.role) {
    case 'guardian-last-alive':
      return 'last guardian check that found it running';
    case 'guardian-first-dead':
      return 'first guardian check that found it gone';
    case 'next-start':
      return 'the app started again';
    case 'stop-record':
      if (e.fact.type === 'guardian.check') return 'stop.sh recorded the pid, then kill -9';
      break;
  }
  return describe(e.fact);
}

/** What a line proves, in a few words. */
function describe(e: Event | GuardFact): string {
  switch (e.type) {
    case 'oom.invoked':
      return `${e.trigger} triggered the OOM killer${e.order === -1 ? ' (manual, order=-1)' : ''}`;
    case 'oom.manual':
      return 'a manual OOM kill was requested (SysRq-f)';
    case 'oom.constraint':
      return `OOM summary: ${e.scope ?? 'unknown'} OOM${e.oomMemcg ? ` in ${e.oomMemcg}` : ''}${e.pid !== null ? `, victim ${e.process} pid ${e.pid}` : ''}`;
    case 'oom.kill-intent':
      return `kernel chose pid ${e.pid} (${e.process}) to kill`;
    case 'oom.killed':
      return `kernel OOM kill of pid ${e.pid} (${e.process})${e.anonRssKb !== null ? `, anon-rss ${formatKb(e.anonRssKb)}` : ''}`;
    case 'oom.reaped':
      return `oom_reaper freed the memory of pid ${e.pid}: the kill took effect`;
    case 'memcg.usage':
      return `memory cgroup at its limit: usage ${formatKb(e.usageKb)} of ${formatKb(e.limitKb)}`;
    case 'memcg.task-in':
      return `victim in ${e.taskMemcg}, limit hit in ${e.limitMemcg}`;
    case 'unit.oom':
      return `systemd: the kernel OOM killer killed a process of ${e.unit}`;
    case 'unit.oomd':
      return `systemd: systemd-oomd killed processes of ${e.unit}`;
    case 'unit.exited':
      return `systemd: main process of ${e.unit} exited (${e.code}, ${e.status})`;
    case 'unit.result':
      return `systemd: ${e.unit} failed with result '${e.result}'`;
    case 'unit.stopping':
      return `systemd is stopping ${e.unit}`;
    case 'unit.stopped':
      return `systemd stopped ${e.unit}`;
    case 'unit.starting':
      return `systemd is starting ${e.unit}`;
    case 'unit.started':
      return `systemd started ${e.unit}`;
    case 'unit.deactivated':
      return `systemd: the main process of ${e.unit} ended cleanly (exit 0 or a stop signal)`;
    case 'unit.restart-scheduled':
      return `systemd scheduled a restart of ${e.unit}`;
    case 'upstart.exited':
      return `upstart: main process ${e.pid} of ${e.job} ${e.signal !== null ? `was killed by ${e.signal}` : `exited with status ${e.code ?? '?'}`}`;
    case 'upstart.respawning':
      return `upstart is respawning ${e.job}`;
    case 'oomd.killed':
      return `systemd-oomd killed ${e.cgroup}`;
    case 'earlyoom.killed':
      return `earlyoom sent ${e.signal} to pid ${e.pid ?? '?'} (${e.process})`;
    case 'fboomd.killed':
      return `oomd killed ${e.cgroup}`;
    case 'kernel.segfault':
      // The kernel names the faulting thread: its id is the process's only for the main thread.
      return `kernel: ${e.process}[${e.pid}] crashed (segfault${e.object !== null ? ` in ${e.object}` : ''})`;
    case 'kernel.abend':
      return `audit: process ${e.pid} (${e.exe || e.process}) ended on ${signalName(e.signal)}`;
    case 'kernel.audit':
      return 'kernel audit record (it carries its own wall-clock time)';
    case 'guardian.check':
      return `guardian check: ${e.name} count ${e.value === '' ? '(empty)' : e.value}`;
    case 'guardian.restart':
      return `guardian found ${e.name} not running and restarted it`;
    case 'guardian.stop':
      return `guardian stop script${e.pid !== null ? ` killed pid ${e.pid}` : ''}`;
    case 'guard.died':
      return `oomsleuth guard saw ${e.name} die${e.signal ? ` of ${e.signal}` : e.code !== null ? ` with exit code ${e.code}` : ''}${e.verdict ? ` and judged it ${e.verdict.cause} (${e.verdict.confidence})` : ''}`;
    case 'guard.started':
      return `oomsleuth guard ${e.how === 'restarted' ? 'restarted' : e.how === 'started' ? 'started' : 'watches'} ${e.name} as pid ${e.pid}${e.memcg ? ` in memory cgroup ${e.memcg}` : ''}`;
    case 'guard.stopping':
      return `oomsleuth guard asked pid ${e.pid} to stop (SIGTERM${e.why ? `: ${e.why}` : ''})`;
    case 'guard.incident':
      return `oomsleuth guard recorded ${e.name}${e.pid !== null ? ` pid ${e.pid}` : ''}'s death as ${e.verdict.cause} (${e.verdict.confidence})`;
    case 'app.start':
      return 'the app started';
    case 'app.shutdown':
      return `the app caught a signal and shut down${e.signal ? ` (${e.signal})` : ''}`;
    case 'app.restart-in-place':
      return 'the app re-executed itself (same pid, not a death)';
    case 'app.panic':
      return `the app crashed: ${clip(e.message)}`;
    case 'app.runtime-oom':
      return `the runtime could not allocate memory and aborted: ${clip(e.message)}`;
    case 'app.port-in-use':
      return 'a second copy found the port in use and exited';
    case 'app.line':
      return 'last line the app wrote before it died';
    case 'oom.task':
    case 'oom.task-header':
      return 'OOM task table';
    case 'oom.mem-info':
      return e.field === 'ram-pages'
        ? `the machine had ${formatKb(e.value * 4)} of RAM`
        : e.field === 'swap-total-kb'
          ? `the machine had ${e.value === 0 ? 'no swap' : `${formatKb(e.value)} of swap`}`
          : `free swap at the kill: ${formatKb(e.value)}`;
    case 'oom.task-summary':
      return `OOM task table: ${e.tasks} tasks holding ${formatKb(e.totalRssPages * 4)}`;
    case 'guard.exit': {
      const uptime = e.uptimeMs === null ? '' : ` after ${formatUptime(e.uptimeMs)}`;
      if (!e.known)
        return `pid ${e.pid} is gone; the guard was not its parent, so its exit status is unknown`;
      return e.signal !== null
        ? `the child was killed by ${e.signal}${uptime}`
        : `the child exited with code ${e.code}${uptime}`;
    }
    case 'guard.stop':
      return 'the guard stopped it';
    case 'memcg.oom-count':
      return `the oom_kill counter of memory cgroup ${e.cgroup} rose from ${e.before} to ${e.after} during this life`;
    case 'host.oom-count':
      return `the machine's oom_kill count rose ${e.before}→${e.after} during its life`;
    case 'memcg.near-limit':
      return `its memory cgroup was at its limit: ${formatKb(e.usageKb)} of ${formatKb(e.limitKb)}`;
  }
}

/** What the guard knew around a verdict, for the words of its check.log line. */
export interface VerdictContext {
  readonly pid: number | null;
  /** Where the kernel log was read (null: it could not be, `problem` says why). */
  readonly kernelLog: { readonly via: string | null; readonly problem: string | null };
  readonly oom: OomFigures | null;
  readonly memoryLimitKb: number | null;
}

/** Why the verdict is what it is, in one sentence (the rest of the guard's `died:` line after `cause (confidence): `). */
export function explainVerdict(verdict: Verdict, ctx: VerdictContext): string {
  const first = verdict.because[0];
  const fact = first?.fact;
  const unread =
    ctx.kernelLog.via === null
      ? ` (kernel log not readable: ${ctx.kernelLog.problem ?? 'unknown reason'})`
      : '';
  const pid = ctx.pid ?? '?';
  const { reason } = verdict;
  switch (reason.kind) {
    case 'kernel-kill': {
      const rss = ctx.oom?.anonRssKb == null ? '' : `, anon-rss ${formatKb(ctx.oom.anonRssKb)}`;
      const limit =
        ctx.oom?.scope === 'memcg' && ctx.memoryLimitKb
          ? `, memory cgroup limit ${formatKb(ctx.memoryLimitKb)}`
          : '';
      return `kernel killed pid ${pid}${rss}${limit}${reason.byOrder ? ' (tied to this death by order: its time is not known)' : ''}`;
    }
    case 'memcg-oom-count': {
      if (fact?.type !== 'memcg.oom-count') break;
      const rise = `oom_kill of memory cgroup ${fact.cgroup} rose ${fact.before}→${fact.after}`;
      return reason.own
        ? `${rise}${unread}`
        : `${rise}, a cgroup it shares with other processes, and no kernel record names pid ${pid}${unread}`;
    }
    case 'guard-stop':
      // The stop as the guard recorded it: `SIGTERM from the guard (why)[, SIGKILL after 10s without exiting]`.
      return first?.text ?? 'the guard stopped it';
    case 'runtime-oom':
    case 'panic':
      if (fact?.type === 'app.runtime-oom' || fact?.type === 'app.panic') return fact.message;
      break;
    case 'fault-signal':
      return `killed by ${reason.signal}, a fault of its own`;
    case 'shutdown-words':
      return `it printed "${first?.text.trim() ?? ''}" on a signal nobody recorded sending${SIGTERM_FIRST}`;
    case 'stop-signal':
      return `${reason.signal} from someone else${SIGTERM_FIRST}`;
    case 'sigkill-memory-pressure':
      return `SIGKILL and ${verdict.because.map((e) => describe(e.fact)).join(' and ')}${unread}`;
    case 'sigkill-unexplained': {
      const end = fact?.type === 'guard.exit' && !fact.known ? 'it ended' : 'SIGKILL';
      return ctx.kernelLog.via === null
        ? `${end} and nothing says who killed it${unread}`
        : `${end} and no kernel OOM record for pid ${pid} in ${ctx.kernelLog.via}: a kill from user space (kill -9, pkill, stop.sh, the app's own start-up check) or an OOM daemon — the system log would tell`;
    }
    case 'port-in-use':
      return 'the port is in use (another copy running?)';
    case 'other-signal':
      return `killed by ${reason.signal} with no panic or fatal error in the app log`;
    case 'exit-code':
      return `exit code ${reason.code ?? '?'} with no panic or fatal error in the app log`;
    case 'exit-zero':
      return 'exited with code 0 by itself, no last words in the app log';
    case 'no-record':
      return 'no record says why it died';
  }
  return first ? says(first) : CAUSE_WORDS[verdict.cause];
}

const SIGTERM_FIRST = ' (an OOM daemon such as earlyoom sends SIGTERM first: see the system log)';

function clip(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
