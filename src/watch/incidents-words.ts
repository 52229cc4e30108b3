// `oomsleuth incidents` for people, in each language: the table's headings and the labels of `incidents show`. One
// catalogue per language of the same shape (a label left out is a type error). Ids, causes, confidences, alert
// states, times and log lines stay as they are: they are what the operator greps and copies.
import type { Language } from '../report/language.js';

export interface IncidentsWords {
  readonly none: (filtered: boolean, db: string) => string;
  readonly header: readonly [
    id: string,
    died: string,
    process: string,
    pid: string,
    cause: string,
    alert: string,
  ];
  readonly other: string;
  readonly count: (n: number) => string;
  readonly summarizedIn: (id: string) => string;
  readonly delivered: (n: number) => string;
  readonly pending: (n: number) => string;
  readonly failed: (n: number) => string;
  readonly listSeparator: string;
  readonly incidentOn: (id: string, host: string, app: string | null, other: boolean) => string;
  readonly died: (at: string, between: readonly [string, string] | null, restarted: string | null) => string;
  readonly triggeredBy: (process: string) => string;
  readonly oom: string;
  readonly missing: string;
  readonly alert: string;
  /** Section headings end with their colon. What follows a label before its text: a space, or nothing after a full-width colon (it carries its own). */
  readonly afterLabel: string;
  readonly deliveryProblem: (
    alertId: string,
    webhook: string,
    state: string,
    attempts: number,
    error: string,
  ) => string;
  readonly evidence: string;
  readonly oomBlock: (n: number) => string;
  readonly appTail: (n: number) => string;
  readonly guardian: (n: number) => string;
  readonly memory: (n: number) => string;
}

const EN: IncidentsWords = {
  none: (filtered, db) => `no incidents${filtered ? ' match' : ''} in ${db}`,
  header: ['ID', 'DIED', 'PROCESS', 'PID', 'CAUSE', 'ALERT'],
  other: ' (other)',
  count: (n) => `${n} incident(s); \`oomsleuth incidents show ID\` prints one with its evidence`,
  summarizedIn: (id) => `summarized in ${id}`,
  delivered: (n) => `${n} delivered`,
  pending: (n) => `${n} pending`,
  failed: (n) => `${n} failed`,
  listSeparator: ', ',
  incidentOn: (id, host, app, other) =>
    `incident ${id} on ${host}${app ? ` (app ${app})` : ''}${other ? ' — an OOM kill of another process' : ''}`,
  died: (at, between, restarted) =>
    `died ${at}${between ? ` (between ${between[0]} and ${between[1]})` : ''}; restarted ${restarted ?? 'not seen'}`,
  triggeredBy: (process) => `triggered by ${process}`,
  oom: 'oom:',
  missing: 'missing:',
  alert: 'alert:',
  afterLabel: ' ',
  deliveryProblem: (alertId, webhook, state, attempts, error) =>
    `${alertId} → webhook ${webhook}: ${state} after ${attempts} attempt(s), last error: ${error}`,
  evidence: 'evidence:',
  oomBlock: (n) => `kernel OOM report (${n} lines):`,
  appTail: (n) => `app log, last ${n} line(s) before the cliff:`,
  guardian: (n) => `guardian lines around the death (${n}):`,
  memory: (n) => `memory samples from oomsleuth guard (${n}):`,
};

const ZH: IncidentsWords = {
  none: (filtered, db) => `${db} 中${filtered ? '没有符合条件的' : '没有'}事件`,
  header: ['ID', '退出时间', '进程', 'PID', '原因', '告警'],
  other: '（其他进程）',
  count: (n) => `共 ${n} 个事件；\`oomsleuth incidents show ID\` 显示单个事件及其证据`,
  summarizedIn: (id) => `已汇总到 ${id}`,
  delivered: (n) => `已送达 ${n}`,
  pending: (n) => `待发送 ${n}`,
  failed: (n) => `失败 ${n}`,
  listSeparator: '，',
  incidentOn: (id, host, app, other) =>
    `事件 ${id}，主机 ${host}${app ? `（应用 ${app}）` : ''}${other ? ' — 另一个进程被 OOM 杀死' : ''}`,
  died: (at, between, restarted) =>
    `退出时间 ${at}${between ? `（在 ${between[0]} 至 ${between[1]} 之间）` : ''}；重启时间 ${restarted ?? '未见'}`,
  triggeredBy: (process) => `由 ${process} 触发`,
  oom: 'OOM：',
  missing: '缺少：',
  alert: '告警：',
  afterLabel: '',
  deliveryProblem: (alertId, webhook, state, attempts, error) =>
    `${alertId} → webhook ${webhook}：尝试 ${attempts} 次后为 ${state}，最后的错误：${error}`,
  evidence: '证据：',
  oomBlock: (n) => `内核 OOM 报告（${n} 行）：`,
  appTail: (n) => `应用日志，断档前的最后 ${n} 行：`,
  guardian: (n) => `退出前后的守护脚本日志（${n} 行）：`,
  memory: (n) => `oomsleuth guard 采集的内存样本（${n} 个）：`,
};

export const INCIDENTS_WORDS: Readonly<Record<Language, IncidentsWords>> = { en: EN, zh: ZH };
