// The drill's report for people: one line per link of the chain (cgroup, victim, kernel record, verdict, alerts,
// cleanup), the kernel's key lines under it, then whether the chain held. The JSON has every kernel line.
import { createColors } from 'picocolors';
import { cutToWidth } from '../report/display-width.js';
import { formatSeconds } from '../report/sizes.js';
import type { DrillReport } from './drill.js';

const KEY_LINE = /invoked oom-killer|oom-kill:constraint|Killed process|oom_reaper/;

export function renderDrill(report: DrillReport, options: { color: boolean; width: number }): string {
  const c = createColors(options.color);
  const cut = (text: string) => cutToWidth(text, Math.max(60, options.width));
  const out = [c.bold('oomsleuth drill: a real OOM kill in a memory cgroup of its own, end to end'), ''];
  const row = (label: string, text: string) => out.push(cut(`  ${c.bold(label.padEnd(8))}  ${text}`));
  const under = (text: string) => out.push(cut(`            ${text}`));

  const { cgroup, victim, oomKillCounter: counter } = report;
  row('cgroup', `v${cgroup.version} ${cgroup.path}, limit ${Math.round(cgroup.limitBytes / 2 ** 20)} MiB`);
  const death =
    victim.signal !== null || victim.exitCode !== null
      ? `${victim.signal ?? `exit code ${victim.exitCode}`} after ${formatSeconds(victim.diedAfterMs ?? 0)}`
      : 'not killed';
  row(
    'victim',
    `${victim.name} pid ${victim.pid}: ${death}; oom_kill ${counter.before} → ${counter.after ?? '?'}`,
  );
  row(
    'kernel',
    report.kernel.killedLine
      ? `${report.kernel.via}, ${report.kernel.lines.length} records of the kill`
      : c.red(`no kill record in ${report.kernel.via}`),
  );
  for (const line of report.kernel.lines.filter((l) => KEY_LINE.test(l))) under(c.dim(line));
  if (report.verdict) {
    const good = report.verdict.cause === 'oom-killer' && report.verdict.confidence === 'confirmed';
    row(
      'analyze',
      (good ? c.green : c.red)(
        `${report.verdict.cause} / ${report.verdict.confidence}, pid ${report.verdict.pid ?? '?'}`,
      ),
    );
    // The kill lines decide the verdict: they are shown first.
    const evidence = report.verdict.evidence;
    const kills = evidence.filter((e) => /kill of pid/.test(e));
    for (const line of [...kills, ...evidence.filter((e) => !kills.includes(e))].slice(0, 3))
      under(c.dim(line));
  } else row('analyze', c.red('no verdict (nothing to analyze)'));
  for (const alert of report.alerts) {
    const answer = alert.ok ? `HTTP ${alert.httpStatus ?? '?'}` : alert.detail;
    row(
      'alert',
      `${alert.webhook}  ${(alert.ok ? c.green : c.red)(answer)}  ${alert.latencyMs} ms, answered ${formatSeconds(alert.afterDeathMs)} after the death`,
    );
  }
  row('cleanup', cgroup.removed ? 'cgroup removed' : c.red('the cgroup is still there (see below)'));
  out.push('');
  for (const problem of report.problems) out.push(c.red(`  ✗ ${problem}`));
  out.push(
    report.ok
      ? c.green('ok: the chain holds — the next OOM kill here will be found and explained')
      : c.red('failed: the chain is broken where marked above'),
  );
  return `${out.join('\n')}\n`;
}
