// Every word of the diagnosis (docs/diagnosis.md), in English and Chinese: the summary, what each piece of evidence
// says, and the advice with the evidence's numbers. The kind and the figures come from src/diagnose/; only prose here.
import type { IncidentDiagnosis } from '../contract/analysis.js';
import {
  type Advice,
  type Diagnosis,
  type DiagnosisFact,
  SWAP_EXHAUSTED,
  type TaskHolder,
} from '../diagnose/evidence.js';
import type { WorkKind } from '../recognise/app-work.js';
import type { Language } from './language.js';
import { formatDuration, formatKb } from './sizes.js';

/** The diagnosis as the JSON carries it, in `language`. */
export function diagnosisOf(d: Diagnosis, language: Language = 'en'): IncidentDiagnosis {
  const w = WORDS[language];
  return {
    kind: d.kind,
    summary: summaryOf(d, language),
    because: d.because.map((r) => ({
      source: r.cited?.source ?? null,
      line: r.cited?.line ?? null,
      says: w.fact(r.fact, d.process),
    })),
    advice: d.advice.map((a) => w.advice(a, d.process)),
  };
}

/** The terminal's block under an OOM death: `Why: …`, then the advice as a list under its heading. */
export function diagnosisBlock(
  d: IncidentDiagnosis,
  language: Language = 'en',
): { readonly why: string; readonly heading: string; readonly advice: readonly string[] } {
  const w = WORDS[language];
  return { why: `${w.why}${w.afterLabel}${d.summary}`, heading: w.whatToDo, advice: d.advice };
}

/** One line for an alert: why memory ran out. */
export function diagnosisAlertLine(d: IncidentDiagnosis, language: Language = 'en'): string {
  const w = WORDS[language];
  return `${w.why}${w.afterLabel}${d.summary}`;
}

function summaryOf(d: Diagnosis, language: Language): string {
  const facts = new Map<DiagnosisFact['kind'], DiagnosisFact>();
  for (const r of d.because) if (!facts.has(r.fact.kind)) facts.set(r.fact.kind, r.fact);
  const get = <K extends DiagnosisFact['kind']>(k: K) =>
    facts.get(k) as Extract<DiagnosisFact, { kind: K }> | undefined;
  return WORDS[language].summary(d, {
    rss: get('victim-rss'),
    holders: get('holders'),
    host: get('host-memory'),
    memcg: get('memcg'),
    curve: get('curve'),
    work: get('work'),
    rhythm: get('rhythm'),
    sameTime: get('same-time'),
  });
}

interface SummaryFacts {
  readonly rss: Extract<DiagnosisFact, { kind: 'victim-rss' }> | undefined;
  readonly holders: Extract<DiagnosisFact, { kind: 'holders' }> | undefined;
  readonly host: Extract<DiagnosisFact, { kind: 'host-memory' }> | undefined;
  readonly memcg: Extract<DiagnosisFact, { kind: 'memcg' }> | undefined;
  readonly curve: Extract<DiagnosisFact, { kind: 'curve' }> | undefined;
  readonly work: Extract<DiagnosisFact, { kind: 'work' }> | undefined;
  readonly rhythm: Extract<DiagnosisFact, { kind: 'rhythm' }> | undefined;
  readonly sameTime: Extract<DiagnosisFact, { kind: 'same-time' }> | undefined;
}

interface DiagnosisWords {
  readonly why: string;
  /** Between a label and its text: a space after `Why:`, none after a full-width `原因：`. */
  readonly afterLabel: string;
  readonly whatToDo: string;
  summary(d: Diagnosis, f: SummaryFacts): string;
  fact(fact: DiagnosisFact, app: string): string;
  advice(advice: Advice, app: string): string;
}

const clock = (minuteOfDay: number) =>
  `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
const size = (mib: number) => (mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024}G` : `${mib}M`);
const mibWords = (mib: number) => formatKb(mib * 1024);

// ---- English ------------------------------------------------------------------------------------------------------

const WORK_EN: Record<WorkKind, string> = {
  collect: 'content collection (采集)',
  import: 'an import (导入)',
  upload: 'uploads',
  image: 'image conversion',
};
const WORK_LINES_EN: Record<WorkKind, string> = {
  collect: 'collection',
  import: 'import',
  upload: 'upload',
  image: 'image-conversion',
};

function swapEn(host: SummaryFacts['host']): string {
  if (host === undefined || host.swapTotalKb === null) return '';
  if (host.swapTotalKb === 0) return 'no swap';
  return host.swapFreeKb !== null && host.swapFreeKb < host.swapTotalKb * SWAP_EXHAUSTED
    ? `its ${formatKb(host.swapTotalKb)} of swap used up`
    : `${formatKb(host.swapTotalKb)} of swap`;
}

function hostEn(host: SummaryFacts['host']): string {
  if (host === undefined) return '';
  const ram = host.ramKb !== null ? `${formatKb(host.ramKb)} of RAM` : '';
  return [ram, swapEn(host)].filter(Boolean).join(', ');
}

function holdersEn(top: readonly TaskHolder[], totalKb: number): string {
  const [first, ...rest] = top;
  if (first === undefined) return '';
  const others = rest.slice(0, 2).map((t) => `${t.process} ${formatKb(t.rssKb)}`);
  return [
    `${first.process} held ${formatKb(first.rssKb)} of the ${formatKb(totalKb)} held by all processes`,
    ...others,
  ].join('; ');
}

const EN: DiagnosisWords = {
  why: 'Why:',
  afterLabel: ' ',
  whatToDo: 'What to do:',
  summary(d, f) {
    const app = d.process;
    const rss = f.rss ? ` ${formatKb(f.rss.rssKb)}` : '';
    const host = hostEn(f.host);
    const holders = f.holders ? holdersEn(f.holders.top, f.holders.totalRssKb) : '';
    switch (d.kind) {
      case 'spike': {
        const during = f.work ? ` during ${WORK_EN[f.work.work]}` : '';
        const reached =
          f.curve?.shape === 'spike'
            ? `${app} went from ${formatKb(f.curve.fromKb)} to ${formatKb(f.curve.toKb)} in ${formatDuration(f.curve.overMs)}`
            : `${app} reached${rss || ' its peak'}`;
        const lines = f.work
          ? ` (${f.work.lines} ${WORK_LINES_EN[f.work.work]} lines in the ${formatDuration(f.work.windowMs)} before the kill)`
          : '';
        const when = f.sameTime
          ? `; ${f.sameTime.kills} kills came at about ${clock(f.sameTime.minuteOfDay)} on different days`
          : '';
        return `A spike${during}: ${reached}${lines}${host ? ` on a server with ${host}` : ''}${when}.`;
      }
      case 'leak':
        if (f.curve?.shape === 'growth')
          return `A leak: ${app}'s memory floor rose steadily from ${formatKb(f.curve.fromKb)} to ${formatKb(f.curve.toKb)} over ${formatDuration(f.curve.overMs)} until it was killed.`;
        return `A leak: ${app} was killed ${f.rhythm?.kills ?? 'several'} times, about every ${formatDuration(f.rhythm?.everyMs ?? 0)}${f.rhythm?.rssKb != null ? `, each time near ${formatKb(f.rhythm.rssKb)}` : ''} — it fills memory again after every restart.`;
      case 'undersized':
        return `The server is too small for its load: ${host}${holders ? `; ${holders}` : rss ? `; ${app} held${rss}` : ''}.`;
      case 'other-process':
        return `Another process held the memory: ${f.holders ? holdersEn(f.holders.top.slice(0, 1), f.holders.totalRssKb) : ''}${f.rss ? `; ${app} only ${formatKb(f.rss.rssKb)}` : ''}${host ? ` (${host})` : ''}.`;
      case 'limit-too-low':
        return f.memcg
          ? `The memory limit is too low: ${f.memcg.cgroup ?? 'its memory cgroup'} reached its ${formatKb(f.memcg.limitKb)} limit${f.rss ? ` with ${app} at ${formatKb(f.rss.rssKb)}` : ''}.`
          : `The memory limit is too low: ${app} sat at its memory cgroup's limit${f.curve ? ` (${formatKb(f.curve.toKb)}) for ${formatDuration(f.curve.overMs)}` : ''} before the kill.`;
      case 'unknown':
        return `Not enough evidence to say why ${app} ran out of memory${rss ? ` (it held${rss} when killed)` : ''}: no memory curve, ${f.holders ? '' : 'no task table, '}${f.host || f.memcg ? '' : 'no RAM or swap figures, '}no sign of a busy job or a rhythm of kills.`;
    }
  },
  fact(fact, app) {
    switch (fact.kind) {
      case 'victim-rss':
        return `${fact.process} held ${formatKb(fact.rssKb)} when it was killed`;
      case 'host-memory':
        return `the server had ${[fact.ramKb !== null ? `${formatKb(fact.ramKb)} of RAM` : '', swapEn(fact)].filter(Boolean).join(', ')}`;
      case 'holders':
        return `task table (${fact.tasks} processes): ${holdersEn(fact.top, fact.totalRssKb)}`;
      case 'memcg':
        return `memory cgroup${fact.cgroup ? ` ${fact.cgroup}` : ''} at ${formatKb(fact.usageKb)} of its ${formatKb(fact.limitKb)} limit`;
      case 'trigger':
        return `${fact.process}'s allocation invoked the OOM killer`;
      case 'curve':
        return curveEn(fact, app);
      case 'work':
        return `${fact.lines} ${WORK_LINES_EN[fact.work]} lines from ${app} in the ${formatDuration(fact.windowMs)} before the kill`;
      case 'rhythm':
        return `${fact.kills} OOM kills of ${app}, about every ${formatDuration(fact.everyMs)}${fact.rssKb !== null ? `, each near ${formatKb(fact.rssKb)}` : ''}`;
      case 'same-time':
        return `${fact.kills} OOM kills of ${app} at about ${clock(fact.minuteOfDay)}, on different days`;
      case 'thin':
        return 'nothing read shows how memory grew: no memory samples, no busy job, no rhythm';
    }
  },
  advice(a, app) {
    switch (a.kind) {
      case 'gomemlimit':
        return `Set GOMEMLIMIT=${a.mib}MiB in ${app}'s environment: Go's garbage collector then works harder before memory runs out (a soft limit, not a cap).`;
      case 'java-xmx':
        return `Cap the Java heap with -Xmx${a.mib}m, leaving room for what the heap does not count.`;
      case 'memory-limit':
        return `Give ${app} a memory limit of its own, so an OOM kill hits it alone and it is back within a second: \`oomsleuth guard --memory-limit ${size(a.mib)} -- …\`, or \`MemoryMax=${size(a.mib)}\` in its systemd unit.`;
      case 'raise-limit':
        return `Raise the memory limit${a.cgroup ? ` of ${a.cgroup}` : ''} from ${mibWords(a.fromMib)} to about ${mibWords(a.toMib)}: \`MemoryMax=${size(a.toMib)}\` in its systemd unit, \`oomsleuth guard --memory-limit ${size(a.toMib)}\`, or \`docker run --memory ${size(a.toMib).toLowerCase()}\`.`;
      case 'add-swap':
        return `Add ${mibWords(a.mib)} of swap (\`fallocate -l ${size(a.mib)} /swapfile && chmod 600 /swapfile && mkswap /swapfile && swapon /swapfile\`, plus a line in /etc/fstab): a burst then slows the server down instead of killing ${app}.`;
      case 'bigger-instance':
        return `Move to a bigger instance, ${a.gib} GiB of RAM or more: the load as it is does not fit.`;
      case 'throttle-work':
        return `Make ${WORK_EN[a.work]} lighter: fewer tasks at once and smaller batches (for AnQiCMS's collector, fewer keywords or pages per run).`;
      case 'move-job':
        return `Move the job that runs at about ${clock(a.minuteOfDay)} to a quiet hour, or split it into smaller runs.`;
      case 'find-leak': {
        const how =
          a.runtime === 'go'
            ? 'compare two heap profiles taken an hour apart (`go tool pprof -diff_base old.pb.gz new.pb.gz`, from /debug/pprof/heap)'
            : a.runtime === 'java'
              ? 'compare two heap dumps taken an hour apart (`jmap -dump:live,format=b,file=…`)'
              : 'watch which part of its memory grows between restarts';
        return `Find the leak: ${how}${a.everyMs !== null ? `; until it is fixed, restart ${app} at a quiet hour before it fills up (it lasts about ${formatDuration(a.everyMs)})` : ''}.`;
      }
      case 'cap-other':
        return `Cap ${a.process} (it held ${mibWords(a.rssMib)}): innodb_buffer_pool_size for MySQL, -Xmx for Java, or \`MemoryMax=\` in its systemd unit — or move it to a server of its own.`;
      case 'collect-curve':
        return `Run ${app} under \`oomsleuth guard\` (or keep \`oomsleuth watch\` with the guard's --incidents file): the next death then comes with its memory curve.`;
      case 'collect-task-table':
        return "Keep the task table in the kernel's OOM reports: `sysctl -w vm.oom_dump_tasks=1` (and in /etc/sysctl.d/ to keep it after a reboot).";
      case 'collect-kernel-report':
        return 'Give oomsleuth the kernel log that holds the whole OOM report (Mem-Info, swap, memory cgroup lines), not only the kill line: `dmesg` output or /var/log/kern.log covering the death.';
    }
  },
};

function curveEn(fact: Extract<DiagnosisFact, { kind: 'curve' }>, app: string): string {
  switch (fact.shape) {
    case 'spike':
      return `${app}'s memory jumped from ${formatKb(fact.fromKb)} to ${formatKb(fact.toKb)} in its last ${formatDuration(fact.overMs)}`;
    case 'growth':
      return `${app}'s memory floor rose steadily from ${formatKb(fact.fromKb)} to ${formatKb(fact.toKb)} over ${formatDuration(fact.overMs)}`;
    case 'plateau':
      return `${app}'s memory sat at its cgroup's ${formatKb(fact.toKb)} limit for ${formatDuration(fact.overMs)} before the kill`;
    case 'flat':
      return `${app}'s memory stayed level (${formatKb(fact.fromKb)} → ${formatKb(fact.toKb)}) over ${formatDuration(fact.overMs)}`;
  }
}

// ---- 中文 ----------------------------------------------------------------------------------------------------------

/** `3h12m` → `3 小时 12 分钟`. */
function durationZh(ms: number): string {
  const units: Record<string, string> = { d: ' 天', h: ' 小时', m: ' 分钟', s: ' 秒' };
  return formatDuration(ms)
    .replace(/(\d+)([dhms])/g, (_, n: string, u: string) => `${n}${units[u]} `)
    .trim();
}

const WORK_ZH: Record<WorkKind, string> = {
  collect: '内容采集',
  import: '数据导入',
  upload: '文件上传',
  image: '图片转换',
};

function swapZh(host: SummaryFacts['host']): string {
  if (host === undefined || host.swapTotalKb === null) return '';
  if (host.swapTotalKb === 0) return '没有 swap';
  return host.swapFreeKb !== null && host.swapFreeKb < host.swapTotalKb * SWAP_EXHAUSTED
    ? `${formatKb(host.swapTotalKb)} swap 已用尽`
    : `${formatKb(host.swapTotalKb)} swap`;
}

function hostZh(host: SummaryFacts['host']): string {
  if (host === undefined) return '';
  const ram = host.ramKb !== null ? `内存 ${formatKb(host.ramKb)}` : '';
  return [ram, swapZh(host)].filter(Boolean).join('，');
}

function holdersZh(top: readonly TaskHolder[], totalKb: number): string {
  const [first, ...rest] = top;
  if (first === undefined) return '';
  const others = rest.slice(0, 2).map((t) => `${t.process} ${formatKb(t.rssKb)}`);
  return [
    `所有进程共占 ${formatKb(totalKb)}，其中 ${first.process} 占 ${formatKb(first.rssKb)}`,
    ...others,
  ].join('，');
}

const ZH: DiagnosisWords = {
  why: '原因：',
  afterLabel: '',
  whatToDo: '建议：',
  summary(d, f) {
    const app = d.process;
    const host = hostZh(f.host);
    const holders = f.holders ? holdersZh(f.holders.top, f.holders.totalRssKb) : '';
    switch (d.kind) {
      case 'spike': {
        const during = f.work ? `（${WORK_ZH[f.work.work]}期间）` : '';
        const reached =
          f.curve?.shape === 'spike'
            ? `${app} 在 ${durationZh(f.curve.overMs)}内从 ${formatKb(f.curve.fromKb)} 涨到 ${formatKb(f.curve.toKb)}`
            : `${app} 内存涨到${f.rss ? ` ${formatKb(f.rss.rssKb)}` : '峰值'}`;
        const lines = f.work
          ? `，被杀前 ${durationZh(f.work.windowMs)}内有 ${f.work.lines} 行${WORK_ZH[f.work.work]}日志`
          : '';
        const when = f.sameTime
          ? `；已有 ${f.sameTime.kills} 次在不同日期的 ${clock(f.sameTime.minuteOfDay)} 左右被杀`
          : '';
        return `突发内存峰值${during}：${reached}${lines}${host ? `，而服务器${host}` : ''}${when}。`;
      }
      case 'leak':
        if (f.curve?.shape === 'growth')
          return `内存泄漏：${app} 的内存底线在 ${durationZh(f.curve.overMs)}内从 ${formatKb(f.curve.fromKb)} 持续涨到 ${formatKb(f.curve.toKb)}，直到被杀。`;
        return `内存泄漏：${app} 已被杀 ${f.rhythm?.kills ?? '多'} 次，约每 ${durationZh(f.rhythm?.everyMs ?? 0)}一次${f.rhythm?.rssKb != null ? `，每次都在 ${formatKb(f.rhythm.rssKb)} 左右` : ''}，每次重启后内存又会慢慢涨满。`;
      case 'undersized':
        return `服务器配置太小，撑不住现有负载：${host}${holders ? `；${holders}` : f.rss ? `；${app} 占 ${formatKb(f.rss.rssKb)}` : ''}。`;
      case 'other-process':
        return `内存被别的进程占了：${f.holders ? holdersZh(f.holders.top.slice(0, 1), f.holders.totalRssKb) : ''}${f.rss ? `；${app} 只占 ${formatKb(f.rss.rssKb)}` : ''}${host ? `（${host}）` : ''}。`;
      case 'limit-too-low':
        return f.memcg
          ? `内存限制设得太低：${f.memcg.cgroup ?? '所在的内存 cgroup'} 达到了 ${formatKb(f.memcg.limitKb)} 的上限${f.rss ? `，${app} 当时占 ${formatKb(f.rss.rssKb)}` : ''}。`
          : `内存限制设得太低：${app} 被杀前一直顶在内存 cgroup 的上限${f.curve ? `（${formatKb(f.curve.toKb)}，持续 ${durationZh(f.curve.overMs)}）` : ''}。`;
      case 'unknown':
        return `证据不足，无法判断 ${app} 为什么耗尽内存${f.rss ? `（被杀时占 ${formatKb(f.rss.rssKb)}）` : ''}：没有内存曲线${f.holders ? '' : '，没有进程内存表'}${f.host || f.memcg ? '' : '，没有内存和 swap 数据'}，也看不出有大任务在跑或被杀的规律。`;
    }
  },
  fact(fact, app) {
    switch (fact.kind) {
      case 'victim-rss':
        return `${fact.process} 被杀时占用 ${formatKb(fact.rssKb)}`;
      case 'host-memory':
        return `服务器${[fact.ramKb !== null ? `内存 ${formatKb(fact.ramKb)}` : '', swapZh(fact)].filter(Boolean).join('，')}`;
      case 'holders':
        return `进程内存表（${fact.tasks} 个进程）：${holdersZh(fact.top, fact.totalRssKb)}`;
      case 'memcg':
        return `内存 cgroup${fact.cgroup ? ` ${fact.cgroup}` : ''} 已用 ${formatKb(fact.usageKb)}，上限 ${formatKb(fact.limitKb)}`;
      case 'trigger':
        return `是 ${fact.process} 申请内存时触发了 OOM killer`;
      case 'curve':
        switch (fact.shape) {
          case 'spike':
            return `${app} 的内存在最后 ${durationZh(fact.overMs)}内从 ${formatKb(fact.fromKb)} 涨到 ${formatKb(fact.toKb)}`;
          case 'growth':
            return `${app} 的内存底线在 ${durationZh(fact.overMs)}内从 ${formatKb(fact.fromKb)} 持续涨到 ${formatKb(fact.toKb)}`;
          case 'plateau':
            return `${app} 被杀前 ${durationZh(fact.overMs)} 一直顶在 cgroup 的 ${formatKb(fact.toKb)} 上限`;
          case 'flat':
            return `${app} 的内存在 ${durationZh(fact.overMs)}内基本平稳（${formatKb(fact.fromKb)} → ${formatKb(fact.toKb)}）`;
        }
        break;
      case 'work':
        return `被杀前 ${durationZh(fact.windowMs)}内 ${app} 打印了 ${fact.lines} 行${WORK_ZH[fact.work]}日志`;
      case 'rhythm':
        return `${app} 已被 OOM 杀掉 ${fact.kills} 次，约每 ${durationZh(fact.everyMs)}一次${fact.rssKb !== null ? `，每次约 ${formatKb(fact.rssKb)}` : ''}`;
      case 'same-time':
        return `${app} 有 ${fact.kills} 次在不同日期的 ${clock(fact.minuteOfDay)} 左右被 OOM 杀掉`;
      case 'thin':
        return '读到的日志看不出内存是怎么涨上去的：没有内存采样，没有大任务，也没有规律';
    }
    return '';
  },
  advice(a, app) {
    switch (a.kind) {
      case 'gomemlimit':
        return `在 ${app} 的启动环境里设置 GOMEMLIMIT=${a.mib}MiB：Go 的垃圾回收会在内存耗尽前更积极地回收（这是软限制，不是硬上限）。`;
      case 'java-xmx':
        return `用 -Xmx${a.mib}m 限制 Java 堆大小，给堆外内存留出余量。`;
      case 'memory-limit':
        return `给 ${app} 单独设内存上限，这样 OOM 只会杀它自己，并在一秒内拉起：\`oomsleuth guard --memory-limit ${size(a.mib)} -- …\`，或在它的 systemd 服务里写 \`MemoryMax=${size(a.mib)}\`。`;
      case 'raise-limit':
        return `把${a.cgroup ? ` ${a.cgroup} 的` : ''}内存上限从 ${mibWords(a.fromMib)} 提高到 ${mibWords(a.toMib)} 左右：systemd 服务里写 \`MemoryMax=${size(a.toMib)}\`，或 \`oomsleuth guard --memory-limit ${size(a.toMib)}\`，或 \`docker run --memory ${size(a.toMib).toLowerCase()}\`。`;
      case 'add-swap':
        return `加 ${mibWords(a.mib)} swap（\`fallocate -l ${size(a.mib)} /swapfile && chmod 600 /swapfile && mkswap /swapfile && swapon /swapfile\`，再在 /etc/fstab 里加一行）：内存突增时服务器只会变慢，${app} 不会直接被杀。`;
      case 'bigger-instance':
        return `升级服务器配置到 ${a.gib} GiB 内存或以上：现在的负载装不下。`;
      case 'throttle-work':
        return `减轻${WORK_ZH[a.work]}的压力：少开并发、分小批处理（AnQiCMS 采集可减少每次的关键词数或页数）。`;
      case 'move-job':
        return `把 ${clock(a.minuteOfDay)} 左右运行的定时任务挪到访问量低的时段，或拆成几次小任务。`;
      case 'find-leak': {
        const how =
          a.runtime === 'go'
            ? '隔一小时抓两次堆快照对比（/debug/pprof/heap，`go tool pprof -diff_base old.pb.gz new.pb.gz`）'
            : a.runtime === 'java'
              ? '隔一小时各导出一次堆转储对比（`jmap -dump:live,format=b,file=…`）'
              : '观察每次重启后是哪部分内存在涨';
        return `排查内存泄漏：${how}${a.everyMs !== null ? `；修好之前，可在空闲时段定时重启 ${app}（它大约能撑 ${durationZh(a.everyMs)}）` : ''}。`;
      }
      case 'cap-other':
        return `限制 ${a.process} 的内存（它占了 ${mibWords(a.rssMib)}）：MySQL 调小 innodb_buffer_pool_size，Java 设 -Xmx，或在它的 systemd 服务里写 \`MemoryMax=\`；也可以把它迁到单独的服务器。`;
      case 'collect-curve':
        return `用 \`oomsleuth guard\` 启动 ${app}（或让 \`oomsleuth watch\` 读取 guard 的 --incidents 文件）：下次再被杀时就有内存曲线可看。`;
      case 'collect-task-table':
        return '让内核在 OOM 报告里打印进程内存表：`sysctl -w vm.oom_dump_tasks=1`（写进 /etc/sysctl.d/ 重启后才不会丢）。';
      case 'collect-kernel-report':
        return '把包含完整 OOM 报告（Mem-Info、swap、内存 cgroup 那几行）的内核日志交给 oomsleuth，而不只是被杀那一行：覆盖这次死亡的 `dmesg` 输出或 /var/log/kern.log。';
    }
  },
};

const WORDS: Record<Language, DiagnosisWords> = { en: EN, zh: ZH };
