// What the guard tells the operator on stderr, in --lang (else the locale's) language: one catalogue per language of
// the same shape (a message left out is a type error). check.log is not here: its lines are English whatever the
// language (check-log.ts), because oomsleuth's own recognisers and the operator's scripts read them back — the guard
// echoes them on stderr as written. Error codes, paths, pids and the system's own error messages stay as they are.
import type { Language } from '../report/language.js';

export interface GuardWords {
  readonly background: (guardPid: number, name: string, childPid: number) => string;
  readonly gaveUp: (name: string, checkLog: string) => string;
  readonly cannotRemove: (path: string, message: string) => string;
  readonly cannotWrite: (path: string, message: string) => string;
  readonly cannotWriteCheckLog: (path: string, code: string) => string;
  readonly cannotWriteChildRecord: (path: string, message: string, pid: number) => string;
  readonly cannotWriteWarning: (message: string) => string;
  readonly cannotWriteIncident: (message: string) => string;
  readonly couldNotRecordDeath: (pid: number, message: string) => string;
  readonly earlyWarningFailed: (pid: number, message: string) => string;
  /** Evidence a verdict is judged by that could not be read; the verdict is made without it. */
  readonly cannotRead: (what: string, message: string) => string;
  readonly kernelLog: string;
  readonly memcgOfChild: string;
  readonly memcgOfPid: (pid: number) => string;
  readonly memcgUsage: (dir: string) => string;
  readonly memcgOomKills: (dir: string) => string;
  readonly appLogLastWords: (path: string) => string;
}

const EN: GuardWords = {
  background: (guardPid, name, childPid) =>
    `guard running in the background (pid ${guardPid}), ${name} pid ${childPid}`,
  gaveUp: (name, checkLog) => `gave up restarting ${name} [OOMS_E_GUARD_GAVE_UP]: see ${checkLog}`,
  cannotRemove: (path, message) => `cannot remove ${path} [OOMS_E_GUARD_LOG_UNWRITABLE]: ${message}`,
  cannotWrite: (path, message) => `cannot write ${path} [OOMS_E_GUARD_LOG_UNWRITABLE]: ${message}`,
  cannotWriteCheckLog: (path, code) =>
    `cannot write ${path}: ${code} — free disk space or fix the permissions; the guard goes on`,
  cannotWriteChildRecord: (path, message, pid) =>
    `cannot write ${path} [OOMS_E_GUARD_LOG_UNWRITABLE]: ${message} — if this guard is killed, the next one will not find pid ${pid} through it`,
  cannotWriteWarning: (message) => `cannot write the warning [OOMS_E_GUARD_LOG_UNWRITABLE]: ${message}`,
  cannotWriteIncident: (message) => `cannot write the incident [OOMS_E_GUARD_LOG_UNWRITABLE]: ${message}`,
  couldNotRecordDeath: (pid, message) => `could not record the death of pid ${pid}: ${message}`,
  earlyWarningFailed: (pid, message) => `the early warning failed for pid ${pid}: ${message}`,
  cannotRead: (what, message) =>
    `cannot read ${what} [OOMS_E_GUARD_EVIDENCE_UNREADABLE]: ${message} — deaths are judged without it`,
  kernelLog: 'the kernel log',
  memcgOfChild: 'the memory cgroup of the child',
  memcgOfPid: (pid) => `the memory cgroup of pid ${pid}`,
  memcgUsage: (dir) => `the memory usage and limit of cgroup ${dir}`,
  memcgOomKills: (dir) => `the oom_kill counter of cgroup ${dir}`,
  appLogLastWords: (path) => `the app log ${path} for the last words`,
};

// `cannotRead` puts no space before `what` (none goes between Chinese characters): the entries that start with a
// Latin word carry their own.
const ZH: GuardWords = {
  background: (guardPid, name, childPid) =>
    `guard 已在后台运行（pid ${guardPid}），${name} 的 pid 为 ${childPid}`,
  gaveUp: (name, checkLog) => `已放弃重启 ${name} [OOMS_E_GUARD_GAVE_UP]：详见 ${checkLog}`,
  cannotRemove: (path, message) => `无法删除 ${path} [OOMS_E_GUARD_LOG_UNWRITABLE]：${message}`,
  cannotWrite: (path, message) => `无法写入 ${path} [OOMS_E_GUARD_LOG_UNWRITABLE]：${message}`,
  cannotWriteCheckLog: (path, code) => `无法写入 ${path}：${code} — 请清理磁盘空间或修正权限；guard 继续运行`,
  cannotWriteChildRecord: (path, message, pid) =>
    `无法写入 ${path} [OOMS_E_GUARD_LOG_UNWRITABLE]：${message} — 如果这个 guard 被杀，下一个 guard 将无法通过它找到 pid ${pid}`,
  cannotWriteWarning: (message) => `无法写入内存预警 [OOMS_E_GUARD_LOG_UNWRITABLE]：${message}`,
  cannotWriteIncident: (message) => `无法写入事件记录 [OOMS_E_GUARD_LOG_UNWRITABLE]：${message}`,
  couldNotRecordDeath: (pid, message) => `无法记录 pid ${pid} 的退出：${message}`,
  earlyWarningFailed: (pid, message) => `pid ${pid} 的内存预警出错：${message}`,
  cannotRead: (what, message) =>
    `无法读取${what} [OOMS_E_GUARD_EVIDENCE_UNREADABLE]：${message} — 判断退出原因时将不使用它`,
  kernelLog: '内核日志',
  memcgOfChild: '子进程的内存 cgroup',
  memcgOfPid: (pid) => ` pid ${pid} 的内存 cgroup`,
  memcgUsage: (dir) => ` cgroup ${dir} 的内存用量和上限`,
  memcgOomKills: (dir) => ` cgroup ${dir} 的 oom_kill 计数`,
  appLogLastWords: (path) => `应用日志 ${path}（查找临终输出）`,
};

export const GUARD_WORDS: Readonly<Record<Language, GuardWords>> = { en: EN, zh: ZH };
