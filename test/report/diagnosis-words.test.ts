// The diagnosis in words: every fact and every piece of advice has English and Chinese, with the evidence's numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Advice, Diagnosis, DiagnosisFact } from '../../src/diagnose/evidence.js';
import { diagnosisAlertLine, diagnosisBlock, diagnosisOf } from '../../src/report/diagnosis-words.js';
import { LANGUAGES } from '../../src/report/language.js';

const GIB = 1024 * 1024;
const FACTS: DiagnosisFact[] = [
  { kind: 'victim-rss', process: 'anqicms', rssKb: 3.4 * GIB },
  { kind: 'host-memory', ramKb: 4 * GIB, swapTotalKb: 0, swapFreeKb: 0 },
  {
    kind: 'holders',
    top: [
      { process: 'anqicms', pid: 1, rssKb: 3.4 * GIB },
      { process: 'mysqld', pid: 2, rssKb: 0.4 * GIB },
    ],
    totalRssKb: 3.8 * GIB,
    tasks: 12,
  },
  { kind: 'memcg', usageKb: 524288, limitKb: 524288, cgroup: '/system.slice/anqicms.service' },
  { kind: 'trigger', process: 'mysqld' },
  { kind: 'curve', shape: 'spike', fromKb: 400 * 1024, toKb: 1400 * 1024, overMs: 180_000 },
  { kind: 'curve', shape: 'growth', fromKb: 400 * 1024, toKb: 1400 * 1024, overMs: 7_200_000 },
  { kind: 'curve', shape: 'plateau', fromKb: 500 * 1024, toKb: 512 * 1024, overMs: 90_000 },
  { kind: 'curve', shape: 'flat', fromKb: 400 * 1024, toKb: 410 * 1024, overMs: 3_600_000 },
  { kind: 'work', work: 'collect', lines: 13, windowMs: 600_000 },
  { kind: 'rhythm', kills: 4, everyMs: 18 * 3_600_000, rssKb: 1.9 * GIB },
  { kind: 'same-time', kills: 3, minuteOfDay: 183 },
  { kind: 'thin' },
];
const ADVICE: Advice[] = [
  { kind: 'gomemlimit', mib: 2880 },
  { kind: 'java-xmx', mib: 2048 },
  { kind: 'memory-limit', mib: 3072 },
  { kind: 'raise-limit', fromMib: 512, toMib: 768, cgroup: '/system.slice/anqicms.service' },
  { kind: 'add-swap', mib: 2048 },
  { kind: 'bigger-instance', gib: 8 },
  { kind: 'throttle-work', work: 'collect' },
  { kind: 'move-job', minuteOfDay: 183 },
  { kind: 'find-leak', runtime: 'go', everyMs: 18 * 3_600_000 },
  { kind: 'cap-other', process: 'mysqld', rssMib: 2816 },
  { kind: 'collect-curve' },
  { kind: 'collect-task-table' },
  { kind: 'collect-kernel-report' },
];

const diagnosis = (kind: Diagnosis['kind']): Diagnosis => ({
  kind,
  process: 'anqicms',
  because: FACTS.map((fact) => ({ cited: { source: 'syslog', line: 9 }, fact })),
  advice: ADVICE,
});

for (const language of LANGUAGES) {
  test(`${language}: every kind, fact and piece of advice has words, with the numbers`, () => {
    for (const kind of [
      'spike',
      'leak',
      'undersized',
      'other-process',
      'limit-too-low',
      'unknown',
    ] as const) {
      const d = diagnosisOf(diagnosis(kind), language);
      assert.equal(d.kind, kind);
      assert.ok(d.summary.length > 20, d.summary);
      assert.ok(!/undefined|null|NaN/.test(d.summary), d.summary);
      for (const b of d.because) assert.ok(b.says.length > 5 && !/undefined|NaN/.test(b.says), b.says);
      for (const a of d.advice) assert.ok(a.length > 10 && !/undefined|NaN/.test(a), a);
      if (language === 'zh') assert.match(d.summary, /[\u4e00-\u9fff]/);
    }
    const d = diagnosisOf(diagnosis('spike'), language);
    assert.ok(d.advice.some((a) => a.includes('GOMEMLIMIT=2880MiB')));
    assert.ok(d.advice.some((a) => a.includes('MemoryMax=768M')));
    assert.ok(d.advice.some((a) => a.includes('--memory-limit 3G')));
    assert.ok(d.advice.some((a) => a.includes('03:03')));
    assert.ok(d.summary.includes('1.4 GiB'), d.summary);
    assert.ok(diagnosisBlock(d, language).why.includes(d.summary));
    assert.ok(diagnosisAlertLine(d, language).endsWith(d.summary));
  });
}

test('the summary of a spike during collection names the work and the host', () => {
  const d = diagnosisOf(diagnosis('spike'));
  assert.match(
    d.summary,
    /^A spike during content collection \(采集\): .*13 collection lines.*4\.0 GiB of RAM, no swap/,
  );
  const zh = diagnosisOf(diagnosis('spike'), 'zh');
  assert.match(zh.summary, /内容采集期间.*10 分钟内有 13 行内容采集日志.*内存 4\.0 GiB，没有 swap/);
});
