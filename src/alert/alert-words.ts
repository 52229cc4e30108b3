// The chat alert's own words, one catalogue per language of the same shape (a phrase left out is a type error).
// What a death is comes from report/words.ts, the warning's figures from report/warning-words.ts. Times, ids, codes,
// commands and units stay as they are: they are what the operator copies into a terminal.
import type { Cause, Confidence } from '../contract/analysis.js';
import type { Language } from '../report/language.js';

export interface AlertWords {
  readonly title: (subject: string, host: string) => string;
  readonly notTheApp: (process: string, app: string) => string;
  readonly confidence: Readonly<Record<Confidence, string>>;
  readonly between: (from: string, to: string) => string;
  readonly unknownTime: string;
  readonly died: (when: string, pid: number | null, confidence: string) => string;
  readonly memory: (facts: string) => string;
  /** Joins the memory figures. */
  readonly listSeparator: string;
  readonly triggeredBy: (process: string) => string;
  readonly restarted: (at: string) => string;
  readonly notRestarted: string;
  readonly missing: (sources: readonly string[]) => string;
  readonly incidentFooter: (id: string) => string;
  readonly summaryTitle: (process: string, host: string, count: number) => string;
  readonly summaryBetween: (from: string, until: string) => string;
  readonly summaryCauses: (causes: readonly (readonly [Cause, number])[]) => string;
  readonly summaryWhy: string;
  readonly summaryFooter: (id: string, since: string) => string;
  readonly forecast: (at: string, band: readonly [string, string] | null) => string;
  readonly warningPid: (pid: number, startedAt: string) => string;
  readonly warned: (at: string, warnBefore: string) => string;
  readonly warningFooter: (id: string) => string;
}

const EN: AlertWords = {
  title: (subject, host) => `oomsleuth: ${subject} on ${host}`,
  notTheApp: (process, app) => `${process} (not ${app})`,
  confidence: { confirmed: 'confirmed', likely: 'likely', possible: 'possible' },
  between: (from, to) => `between ${from} and ${to}`,
  unknownTime: 'unknown',
  died: (when, pid, confidence) => `died: ${when}${pid !== null ? `, pid ${pid}` : ''} (${confidence})`,
  memory: (facts) => `memory: ${facts}`,
  listSeparator: ', ',
  triggeredBy: (process) => `triggered by ${process}`,
  restarted: (at) => `restarted: ${at}`,
  notRestarted: 'restarted: not seen yet',
  missing: (sources) => `missing: ${sources.join('; ')}`,
  incidentFooter: (id) => `id ${id} · oomsleuth incidents show ${id}`,
  summaryTitle: (process, host, count) =>
    `oomsleuth: ${process} keeps dying on ${host}: ${count} more death(s)`,
  summaryBetween: (from, until) => `between ${from} and ${until}`,
  summaryCauses: (causes) => `causes: ${causes.map(([cause, n]) => `${cause} ×${n}`).join(', ')}`,
  summaryWhy: 'a crash loop: these deaths were held back after the first alert',
  summaryFooter: (id, since) => `id ${id} · oomsleuth incidents --since ${since}`.trim(),
  forecast: (at, band) =>
    `forecast: out of memory around ${at}${band ? ` (${band[0]} to ${band[1]} from the warning)` : ''}`,
  warningPid: (pid, startedAt) => `pid ${pid}, running since ${startedAt}`,
  warned: (at, warnBefore) =>
    `warned: ${at} by oomsleuth guard (--warn-before ${warnBefore}), once for this life`,
  warningFooter: (id) =>
    `id ${id} · act before the OOM killer does: restart it at a quiet moment, or find what grows`,
};

const ZH: AlertWords = {
  title: (subject, host) => `oomsleuth：${host} 上的 ${subject}`,
  notTheApp: (process, app) => `${process}（不是 ${app}）`,
  confidence: { confirmed: '已证实', likely: '很可能', possible: '有可能' },
  between: (from, to) => `${from} 至 ${to} 之间`,
  unknownTime: '未知',
  died: (when, pid, confidence) => `退出时间：${when}${pid !== null ? `，pid ${pid}` : ''}（${confidence}）`,
  memory: (facts) => `内存：${facts}`,
  listSeparator: '，',
  triggeredBy: (process) => `由 ${process} 触发`,
  restarted: (at) => `重启时间：${at}`,
  notRestarted: '重启：尚未看到',
  missing: (sources) => `缺少：${sources.join('；')}`,
  incidentFooter: (id) => `id ${id} · 查看详情：oomsleuth incidents show ${id}`,
  summaryTitle: (process, host, count) => `oomsleuth：${host} 上的 ${process} 反复退出：又退出了 ${count} 次`,
  summaryBetween: (from, until) => `${from} 至 ${until} 之间`,
  summaryCauses: (causes) => `原因：${causes.map(([cause, n]) => `${cause} ×${n}`).join('，')}`,
  summaryWhy: '崩溃循环：第一次告警之后，这些退出被合并到这条汇总里',
  summaryFooter: (id, since) => `id ${id} · 查看：oomsleuth incidents --since ${since}`.trim(),
  forecast: (at, band) => `预测：约 ${at} 内存耗尽${band ? `（告警后 ${band[0]} 到 ${band[1]}）` : ''}`,
  warningPid: (pid, startedAt) => `pid ${pid}，自 ${startedAt} 起运行`,
  warned: (at, warnBefore) =>
    `告警时间：${at}，来自 oomsleuth guard（--warn-before ${warnBefore}），本次运行只告警一次`,
  warningFooter: (id) => `id ${id} · 赶在 OOM killer 之前处理：找个空闲时段重启它，或者查清是什么在增长`,
};

export const ALERT_WORDS: Readonly<Record<Language, AlertWords>> = { en: EN, zh: ZH };
