// Alerts in Chinese (--lang zh, or a zh_* locale): every chat format carries the Chinese title and facts, while the
// generic JSON document — the machine's view — is the same bytes in every language.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertText } from '../../src/alert/alert-text.js';
import { renderRequest } from '../../src/alert/formats.js';
import { incidentAlert, summaryAlert, warningAlert } from '../../src/alert/payload.js';
import { makeWebhook } from '../../src/alert/webhook.js';
import type { WebhookFormat } from '../../src/alert/webhook-format.js';
import type { Incident } from '../../src/contract/analysis.js';
import type { WarningRecord } from '../../src/forecast/warning-record.js';

const NOW = 1_700_000_000_000;
const ID = '20240723T020347Z-anqicms-3f9a2c';
const CHAT_FORMATS = ['slack', 'dingtalk', 'feishu', 'wecom'] as const;

const incident: Incident = {
  process: 'anqicms',
  pid: 18734,
  diedAt: '2024-07-23T10:03:47+08:00',
  diedWithin: null,
  restartedAt: null,
  cause: 'oom-killer',
  confidence: 'confirmed',
  oom: {
    scope: 'global',
    cgroup: null,
    invokedBy: 'mysqld',
    totalVmKb: 3_880_000,
    anonRssKb: 3_565_158,
    fileRssKb: 0,
    shmemRssKb: 0,
    oomScoreAdj: 0,
  },
  missing: ['guardian-log'],
  evidence: [
    {
      source: 'syslog.1',
      line: 857,
      time: '2024-07-23T10:03:47+08:00',
      text: 'Jul 23 10:03:47 VM-8-12-ubuntu kernel: Out of memory: Killed process 18734 (anqicms) total-vm:3880000kB, anon-rss:3565158kB',
      says: 'kernel OOM kill of pid 18734 (anqicms), anon-rss 3.4 GiB',
    },
  ],
};

const warning: WarningRecord = {
  type: 'warning',
  process: 'anqicms',
  pid: 4242,
  startedAt: '2024-07-23T09:03:47+08:00',
  at: '2024-07-23T10:00:00+08:00',
  reason: 'trend',
  ceiling: 'memory-limit',
  usedKb: 53_248,
  ceilingKb: 65_536,
  timeToOomS: 480,
  timeToOomBandS: [360, 660],
  oomExpectedAt: '2024-07-23T10:08:00+08:00',
  growthKbPerS: 20.5,
  fitSpanS: 550,
  warnBeforeS: 600,
  memoryLimitKb: 65_536,
  availableKb: null,
  says: 'pid 4242 may run out of memory in about 8m (6m–11m): memory cgroup at 52 MiB of 64 MiB, growing 1.2 MiB/min over the last 9m10s',
  command: ['/www/anqicms/anqicms'],
};

const hook = (format: WebhookFormat) => makeWebhook(new URL('https://x.example/h'), format, null, 0);

/** The text a chat receiver shows, whatever the format wraps it in. */
function chatText(format: WebhookFormat, body: string): string {
  const parsed = JSON.parse(body);
  switch (format) {
    case 'slack':
      return parsed.text;
    case 'dingtalk':
      return `${parsed.markdown.title}\n${parsed.markdown.text}`;
    case 'feishu': {
      const post = parsed.content.post.zh_cn;
      return [
        post.title,
        ...post.content.map((row: { text: string }[]) => row.map((c) => c.text).join('')),
      ].join('\n');
    }
    case 'wecom':
      return parsed.markdown.content;
    default:
      return body;
  }
}

test('an OOM kill in Chinese: the title, the facts, and the deciding line as it was written', () => {
  const doc = incidentAlert(ID, 'web1', 'anqicms', 'app', incident, 0);
  assert.deepEqual(alertText(doc, 'zh'), {
    title: 'oomsleuth：web1 上的 anqicms 被内核 OOM killer 杀死',
    facts: [
      '退出时间：2024-07-23T10:03:47+08:00，pid 18734（已证实）',
      '内存：anon-rss 3.4 GiB，total-vm 3.7 GiB，global OOM，由 mysqld 触发',
      '重启：尚未看到',
      '缺少：守护脚本的日志（check.log）',
    ],
    evidence: incident.evidence[0]!.text,
    footer: `id ${ID} · 查看详情：oomsleuth incidents show ${ID}`,
  });
  for (const format of CHAT_FORMATS) {
    const text = chatText(format, renderRequest(doc, hook(format), NOW, 'zh').body);
    assert.ok(text.includes('web1 上的 anqicms 被内核 OOM killer 杀死'), `${format}: ${text}`);
    assert.ok(text.includes('内存：anon-rss 3.4 GiB'), `${format}: ${text}`);
    assert.ok(text.includes(`oomsleuth incidents show ${ID}`), `${format}: ${text}`);
    assert.ok(!text.includes('killed by the kernel'), `${format} has English left: ${text}`);
  }
});

test('an early warning in Chinese, in every chat format', () => {
  const doc = warningAlert(`${ID}-warn`, 'web1', 'anqicms', warning);
  const text = alertText(doc, 'zh');
  assert.equal(text.title, 'oomsleuth：web1 上的 anqicms 约 8m 后可能内存不足');
  assert.deepEqual(text.facts, [
    '预测：约 2024-07-23T10:08:00+08:00 内存耗尽（告警后 6m 到 11m）',
    '内存：内存 cgroup 已用 52 MiB / 64 MiB（占上限的 81%），最近 9m10s 内以 1.2 MiB/min 的速度增长',
    'pid 4242，自 2024-07-23T09:03:47+08:00 起运行',
    '告警时间：2024-07-23T10:00:00+08:00，来自 oomsleuth guard（--warn-before 10m），本次运行只告警一次',
  ]);
  for (const format of CHAT_FORMATS) {
    const chat = chatText(format, renderRequest(doc, hook(format), NOW, 'zh').body);
    assert.ok(chat.includes('约 8m 后可能内存不足'), `${format}: ${chat}`);
  }
});

test('a crash-loop summary in Chinese, in every chat format', () => {
  const doc = summaryAlert(`${ID}-summary`, 'web1', 'anqicms', 'anqicms', [
    { id: 'a', incident },
    { id: 'b', incident: { ...incident, cause: 'crash' } },
  ]);
  assert.equal(alertText(doc, 'zh').title, 'oomsleuth：web1 上的 anqicms 反复退出：又退出了 2 次');
  for (const format of CHAT_FORMATS) {
    const chat = chatText(format, renderRequest(doc, hook(format), NOW, 'zh').body);
    assert.ok(chat.includes('原因：oom-killer ×1，crash ×1'), `${format}: ${chat}`);
  }
});

test('the generic JSON is the same document in every language: its fields never change', () => {
  const docs = [
    incidentAlert(ID, 'web1', 'anqicms', 'app', incident, 0),
    warningAlert(`${ID}-warn`, 'web1', 'anqicms', warning),
    summaryAlert(`${ID}-summary`, 'web1', 'anqicms', 'anqicms', [{ id: 'a', incident }]),
  ];
  for (const doc of docs) {
    const en = renderRequest(doc, hook('generic'), NOW, 'en');
    const zh = renderRequest(doc, hook('generic'), NOW, 'zh');
    assert.equal(zh.body, en.body);
    assert.deepEqual(JSON.parse(zh.body), doc);
  }
});
