// The words of a death in English: the catalogue words.ts declares (`Words`) and words-zh.ts mirrors.
import { signalName } from '../recognise/signal-names.js';
import { clip } from './clip.js';
import { formatKb, formatUptime } from './sizes.js';
import type { Words } from './words.js';

const CAUSE_COUNTS = {
  'oom-killer': ['OOM kill', 'OOM kills'],
  'oom-daemon': ['OOM-daemon kill', 'OOM-daemon kills'],
  'runtime-oom': ['runtime OOM', 'runtime OOMs'],
  crash: ['crash', 'crashes'],
  stopped: ['stop', 'stops'],
  unexplained: ['unexplained', 'unexplained'],
} as const;

export const EN_WORDS: Words = {
  cause: {
    'oom-killer': 'killed by the kernel OOM killer',
    'oom-daemon': 'killed by a user-space OOM daemon',
    'runtime-oom': 'ran out of memory itself (runtime OOM)',
    crash: 'crashed',
    stopped: 'stopped deliberately',
    unexplained: 'died — cause unexplained',
  },
  causeCount: (cause, n) => `${n} ${CAUSE_COUNTS[cause][n === 1 ? 0 : 1]}`,
  deathCount: (total, counted) => `${total} ${total === 1 ? 'death' : 'deaths'}: ${counted.join(', ')}`,
  noDeaths: 'no deaths found',
  missing: {
    'kernel-log': 'a kernel/system log covering the death (syslog, kern.log, journalctl -k, dmesg)',
    'guardian-log': 'the guardian log (check.log)',
    'app-log': "the app's own log (running.log)",
    'boot-time': 'the boot time for dmesg stamps (--boot-time)',
  },
  role: {
    guardianLastAlive: 'last guardian check that found it running',
    guardianFirstDead: 'first guardian check that found it gone',
    nextStart: 'the app started again',
    stopScript: 'stop.sh recorded the pid, then kill -9',
  },
  fact: {
    'oom.invoked': (e) =>
      `${e.trigger} triggered the OOM killer${e.order === -1 ? ' (manual, order=-1)' : ''}`,
    'oom.manual': () => 'a manual OOM kill was requested (SysRq-f)',
    'oom.constraint': (e) =>
      `OOM summary: ${e.scope ?? 'unknown'} OOM${e.oomMemcg ? ` in ${e.oomMemcg}` : ''}${e.pid !== null ? `, victim ${e.process} pid ${e.pid}` : ''}`,
    'oom.kill-intent': (e) => `kernel chose pid ${e.pid} (${e.process}) to kill`,
    'oom.killed': (e) =>
      `kernel OOM kill of pid ${e.pid} (${e.process})${e.anonRssKb !== null ? `, anon-rss ${formatKb(e.anonRssKb)}` : ''}`,
    'oom.reaped': (e) => `oom_reaper freed the memory of pid ${e.pid}: the kill took effect`,
    'memcg.usage': (e) =>
      `memory cgroup at its limit: usage ${formatKb(e.usageKb)} of ${formatKb(e.limitKb)}`,
    'memcg.task-in': (e) => `victim in ${e.taskMemcg}, limit hit in ${e.limitMemcg}`,
    'unit.oom': (e) => `systemd: the kernel OOM killer killed a process of ${e.unit}`,
    'unit.oomd': (e) => `systemd: systemd-oomd killed processes of ${e.unit}`,
    'unit.exited': (e) => `systemd: main process of ${e.unit} exited (${e.code}, ${e.status})`,
    'unit.result': (e) => `systemd: ${e.unit} failed with result '${e.result}'`,
    'unit.stopping': (e) => `systemd is stopping ${e.unit}`,
    'unit.stopped': (e) => `systemd stopped ${e.unit}`,
    'unit.starting': (e) => `systemd is starting ${e.unit}`,
    'unit.started': (e) => `systemd started ${e.unit}`,
    'unit.deactivated': (e) =>
      `systemd: the main process of ${e.unit} ended cleanly (exit 0 or a stop signal)`,
    'unit.restart-scheduled': (e) => `systemd scheduled a restart of ${e.unit}`,
    'upstart.exited': (e) =>
      `upstart: main process ${e.pid} of ${e.job} ${e.signal !== null ? `was killed by ${e.signal}` : `exited with status ${e.code ?? '?'}`}`,
    'upstart.respawning': (e) => `upstart is respawning ${e.job}`,
    'oomd.killed': (e) => `systemd-oomd killed ${e.cgroup}`,
    'earlyoom.killed': (e) => `earlyoom sent ${e.signal} to pid ${e.pid ?? '?'} (${e.process})`,
    'fboomd.killed': (e) => `oomd killed ${e.cgroup}`,
    // The kernel names the faulting thread: its id is the process's only for the main thread.
    'kernel.segfault': (e) =>
      `kernel: ${e.process}[${e.pid}] crashed (segfault${e.object !== null ? ` in ${e.object}` : ''})`,
    'kernel.abend': (e) => `audit: process ${e.pid} (${e.exe || e.process}) ended on ${signalName(e.signal)}`,
    'kernel.audit': () => 'kernel audit record (it carries its own wall-clock time)',
    'guardian.check': (e) => `guardian check: ${e.name} count ${e.value === '' ? '(empty)' : e.value}`,
    'guardian.restart': (e) => `guardian found ${e.name} not running and restarted it`,
    'guardian.stop': (e) => `guardian stop script${e.pid !== null ? ` killed pid ${e.pid}` : ''}`,
    'guard.died': (e) =>
      `oomsleuth guard saw ${e.name} die${e.signal ? ` of ${e.signal}` : e.code !== null ? ` with exit code ${e.code}` : ''}${e.verdict ? ` and judged it ${e.verdict.cause} (${e.verdict.confidence})` : ''}`,
    'guard.started': (e) =>
      `oomsleuth guard ${e.how === 'restarted' ? 'restarted' : e.how === 'started' ? 'started' : 'watches'} ${e.name} as pid ${e.pid}${e.memcg ? ` in memory cgroup ${e.memcg}` : ''}`,
    'guard.stopping': (e) =>
      `oomsleuth guard asked pid ${e.pid} to stop (SIGTERM${e.why ? `: ${e.why}` : ''})`,
    'guard.incident': (e) =>
      `oomsleuth guard recorded ${e.name}${e.pid !== null ? ` pid ${e.pid}` : ''}'s death as ${e.verdict.cause} (${e.verdict.confidence})`,
    'app.start': () => 'the app started',
    'app.shutdown': (e) => `the app caught a signal and shut down${e.signal ? ` (${e.signal})` : ''}`,
    'app.restart-in-place': () => 'the app re-executed itself (same pid, not a death)',
    'app.panic': (e) => `the app crashed: ${clip(e.message)}`,
    'app.runtime-oom': (e) => `the runtime could not allocate memory and aborted: ${clip(e.message)}`,
    'app.port-in-use': () => 'a second copy found the port in use and exited',
    'app.line': () => 'last line the app wrote before it died',
    'oom.task': () => 'OOM task table',
    'oom.task-header': () => 'OOM task table',
    'oom.mem-info': (e) =>
      e.field === 'ram-pages'
        ? `the machine had ${formatKb(e.value * 4)} of RAM`
        : e.field === 'swap-total-kb'
          ? `the machine had ${e.value === 0 ? 'no swap' : `${formatKb(e.value)} of swap`}`
          : `free swap at the kill: ${formatKb(e.value)}`,
    'oom.task-summary': (e) => `OOM task table: ${e.tasks} tasks holding ${formatKb(e.totalRssPages * 4)}`,
    'guard.exit': (e) => {
      const uptime = e.uptimeMs === null ? '' : ` after ${formatUptime(e.uptimeMs)}`;
      if (!e.known)
        return `pid ${e.pid} is gone; the guard was not its parent, so its exit status is unknown`;
      return e.signal !== null
        ? `the child was killed by ${e.signal}${uptime}`
        : `the child exited with code ${e.code}${uptime}`;
    },
    'guard.stop': () => 'the guard stopped it',
    'memcg.oom-count': (e) =>
      `the oom_kill counter of memory cgroup ${e.cgroup} rose from ${e.before} to ${e.after} during this life`,
    'host.oom-count': (e) => `the machine's oom_kill count rose ${e.before}→${e.after} during its life`,
    'memcg.near-limit': (e) =>
      `its memory cgroup was at its limit: ${formatKb(e.usageKb)} of ${formatKb(e.limitKb)}`,
  },
};
