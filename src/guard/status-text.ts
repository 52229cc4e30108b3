// `oomsleuth guard status` as a person reads it: the state, the app's pid and uptime, its memory now and how it moved,
// the restarts, and the last death with its cause — times as check.log writes them.
import { formatKb, formatUptime } from '../report/sizes.js';
import { guardianStamp } from './check-log.js';
import type { GuardStatusReport } from './control.js';

const LIFE_WORDS = {
  child: 'started by this guard',
  orphan: 'left running by an earlier guard, supervised since',
  outside: 'started outside the guard, watched only',
} as const;

export function statusText(report: GuardStatusReport, nowMs: number): string {
  const lines: string[] = [];
  lines.push(
    `${report.name} guard: ${report.state} (guard pid ${report.guardPid}, up ${formatUptime(nowMs - report.guardStartedAtMs)})`,
  );
  const life = report.life;
  if (life === null) {
    lines.push('  app:        not running now');
  } else {
    lines.push(
      `  app:        pid ${life.pid}, up ${formatUptime(nowMs - life.startedAtMs)} since ${guardianStamp(life.startedAtMs)} (${LIFE_WORDS[life.kind]})`,
    );
    const rss = report.rssKbNow ?? life.lastSample?.rssKb ?? null;
    const memory = [
      rss === null ? 'rss unknown' : `rss ${formatKb(rss)} now`,
      life.limitKb === null ? null : `limit ${formatKb(life.limitKb)}`,
    ].filter(Boolean);
    lines.push(`  memory:     ${memory.join(', ')}${life.trend ? `; ${life.trend}` : ''}`);
  }
  lines.push(
    `  restarts:   ${report.restarts} after a death, ${report.requestedRestarts} asked for (guard restart)`,
  );
  const death = report.lastDeath;
  if (death === null) {
    lines.push('  last death: none since the guard started');
  } else {
    lines.push(
      `  last death: ${guardianStamp(death.atMs)} pid ${death.pid}, ${death.exit} after ${formatUptime(death.uptimeMs)} — ` +
        `${death.requested ? 'restart asked for' : `${death.cause} (${death.confidence})`}: ${death.detail}${death.trend ? `; ${death.trend}` : ''}`,
    );
  }
  lines.push(`  files:      ${report.checkLog}, ${report.appLog}, ${report.pidFile}`);
  return `${lines.join('\n')}\n`;
}
