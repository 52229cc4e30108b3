// Everything in a system log that happens at a planned time rather than at random: cron's run of the guardian
// every minute, the planted OOM reports, nginx's refused requests while the app is down, mysqld coming back.
// Writers call `drain(t)` before each traffic line, so the file stays in time order.
import { oomReport } from './oom-report.js';
import type { Random } from './random.js';
import { goLogStamper, mysqlStamp } from './stamp-text.js';
import { createPidCursor, type Story } from './story.js';
import { type LogEvent, upstreamRefused } from './traffic.js';

const MINUTE = 60_000;

export interface Timeline {
  /**
   * Hands every scheduled event at or before `ms` to `emit`, oldest first. An OOM report goes out whole, even the
   * records stamped after `ms`, so that no other line lands inside it and a rotation never splits it; the caller
   * keeps its clock from going back (`max(t, last emitted)`).
   */
  drain(ms: number, emit: (event: LogEvent) => void): void;
}

export function createTimeline(random: Random, story: Story): Timeline {
  const specials = plannedEvents(random, story);
  let nextSpecial = 0;
  // cron runs at :00 and logs a second later, the same second start.sh stamps check.log
  let nextCron = Math.ceil((story.startMs - 1000) / MINUTE) * MINUTE + 1000;
  const cronLines = (ms: number, emit: (event: LogEvent) => void): void => {
    // each job runs in its own forked cron process, so each line has its own pid
    const cron = (message: string, offset: number): void =>
      emit({
        ms: ms + offset,
        ident: 'CRON',
        pid: random.int(20_000, 65_000),
        message,
        priority: 6,
        transport: 'syslog',
        monoUs: 0,
      });
    // Debian sends cron's pam_unix session lines to auth.log (authpriv), not to syslog: only the CMD lines here
    cron('(root) CMD (/www/wwwroot/anqicms/start.sh)', 0);
    if (ms % 3_600_000 === 17 * MINUTE + 1000)
      cron('(root) CMD (cd / && run-parts --report /etc/cron.hourly)', 1);
  };
  return {
    drain(ms, emit) {
      for (;;) {
        const group = specials[nextSpecial];
        const specialMs = group === undefined ? Number.POSITIVE_INFINITY : group[0]!.ms;
        if (nextCron <= specialMs) {
          if (nextCron > ms || nextCron > story.endMs) return;
          cronLines(nextCron, emit);
          nextCron += MINUTE;
        } else {
          if (specialMs > ms) return;
          for (const event of group!) emit(event);
          nextSpecial++;
        }
      }
    },
  };
}

/** The planted kills with their aftermath, in groups that go out together, sorted by time. */
function plannedEvents(random: Random, story: Story): LogEvent[][] {
  const appPidAt = createPidCursor(story.appLives);
  const mysqlPidAt = createPidCursor(story.mysqlLives);
  const go = goLogStamper();
  const groups: LogEvent[][] = [];
  for (const kill of story.kills) {
    const killUs = kill.atUs;
    // the pids alive just before the kill: the victim's own life ends at the kill
    const before = Math.floor(killUs / 1000) - 1;
    const report: LogEvent[] = [];
    for (const record of oomReport(kill, appPidAt(before), mysqlPidAt(before))) {
      const us = killUs + record.offsetUs;
      report.push({
        ms: us / 1000,
        ident: 'kernel',
        pid: null,
        message: record.body,
        priority: record.priority,
        transport: 'kernel',
        monoUs: us - story.bootMs * 1000,
      });
    }
    groups.push(report);
    const killMs = killUs / 1000;
    if (kill.process === 'mysqld') {
      const at = kill.restartAtMs;
      const pid = kill.nextPid;
      const mysql = (offset: number, text: string): void => {
        const ms = at + offset;
        const message = `${mysqlStamp(ms, random.int(0, 999_999))} 0 [System] ${text}`;
        groups.push([{ ms, ident: 'mysqld', pid, message, priority: 5, transport: 'stdout', monoUs: 0 }]);
      };
      mysql(0, `[MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.0.37) starting as process ${pid}`);
      mysql(
        1800,
        "[MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.0.37'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.",
      );
    } else {
      for (let ms = killMs + 6000; ms < kill.restartAtMs; ms += 9000 + random.int(0, 8000)) {
        groups.push([upstreamRefused(random, go, ms)]);
      }
    }
  }
  return groups.sort((a, b) => a[0]!.ms - b[0]!.ms);
}
