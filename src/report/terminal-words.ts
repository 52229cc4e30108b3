// The terminal report's own labels, one catalogue per language of the same shape (a label left out is a type
// error). What a death is and what each line proves come from words.ts; units, times and codes stay as they are.
import type { Confidence } from '../contract/analysis.js';
import type { Language } from './language.js';

export interface TerminalWords {
  /** `anqicms: 3 deaths: …` */
  readonly appTitle: (app: string, deaths: string) => string;
  /** No app in focus: every OOM-killed process is an incident. */
  readonly noFocusTitle: (processes: number) => string;
  readonly sourcesRead: (n: number) => string;
  readonly confidence: Readonly<Record<Confidence, string>>;
  readonly timeUnknown: string;
  readonly moreEvidence: (n: number) => string;
  readonly missing: string;
  /** What follows a label before its text: a space, or nothing after a full-width colon (it carries its own). */
  readonly afterLabel: string;
  /** Joins the missing sources. */
  readonly listSeparator: string;
  readonly otherKillsHeading: string;
  readonly sourcesHeading: string;
  readonly lines: (n: number) => string;
  readonly skippedUnknown: (n: number, names: string) => string;
  readonly triggeredBy: (process: string) => string;
  readonly diedBetween: (range: string) => string;
  readonly down: (duration: string) => string;
  readonly downAtMost: (duration: string) => string;
  readonly noRestartSeen: string;
  /** analyze's progress line on a terminal's stderr; `lines` comes formatted. */
  readonly reading: (path: string, input: number, inputs: number, lines: string) => string;
}

const EN: TerminalWords = {
  appTitle: (app, deaths) => `${app}: ${deaths}`,
  noFocusTitle: (n) =>
    `no app in focus (no --app, no guardian log): ${n === 0 ? 'no process' : n === 1 ? '1 process' : `${n} processes`} OOM-killed`,
  sourcesRead: (n) => `${n} ${n === 1 ? 'source' : 'sources'} read`,
  confidence: { confirmed: 'confirmed', likely: 'likely', possible: 'possible' },
  timeUnknown: 'time unknown',
  moreEvidence: (n) => `… ${n} more evidence line(s) in --json`,
  missing: 'missing:',
  afterLabel: ' ',
  listSeparator: '; ',
  otherKillsHeading: 'Other OOM kills (not the app)',
  sourcesHeading: 'Sources',
  lines: (n) => `${n} lines`,
  skippedUnknown: (n, names) => `${n} files of no known log format skipped (--json lists each): ${names}`,
  triggeredBy: (process) => `triggered by ${process}`,
  diedBetween: (range) => `died between ${range}`,
  down: (duration) => `down ${duration}`,
  downAtMost: (duration) => `down ≤ ${duration}`,
  noRestartSeen: 'no restart seen',
  reading: (path, input, inputs, lines) => `reading ${path} (${input}/${inputs}) ${lines} lines`,
};

const ZH: TerminalWords = {
  appTitle: (app, deaths) => `${app}：${deaths}`,
  noFocusTitle: (n) =>
    `未指定应用（没有 --app，也没有守护脚本日志）：${n === 0 ? '没有进程' : `${n} 个进程`}被 OOM 杀死`,
  sourcesRead: (n) => `已读取 ${n} 个日志来源`,
  confidence: { confirmed: '已证实', likely: '很可能', possible: '有可能' },
  timeUnknown: '时间未知',
  moreEvidence: (n) => `… 另有 ${n} 行证据，见 --json`,
  missing: '缺少：',
  afterLabel: '',
  listSeparator: '；',
  otherKillsHeading: '其他被 OOM 杀死的进程（不是该应用）',
  sourcesHeading: '日志来源',
  lines: (n) => `${n} 行`,
  skippedUnknown: (n, names) => `跳过了 ${n} 个无法识别格式的文件（--json 逐个列出）：${names}`,
  triggeredBy: (process) => `由 ${process} 触发`,
  diedBetween: (range) => `退出时间在 ${range} 之间`,
  down: (duration) => `停机 ${duration}`,
  downAtMost: (duration) => `停机 ≤ ${duration}`,
  noRestartSeen: '未见重启',
  reading: (path, input, inputs, lines) => `正在读取 ${path}（${input}/${inputs}）${lines} 行`,
};

export const TERMINAL_WORDS: Readonly<Record<Language, TerminalWords>> = { en: EN, zh: ZH };
