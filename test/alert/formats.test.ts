// Alert formats: the contract's generic JSON, Slack, DingTalk (signed), Feishu/Lark (signed), WeCom — each carrying
// the idempotency key; signatures checked against vectors computed independently (Python's hmac); receivers' answers
// judged by their own conventions; and no secret in what is shown.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { alertText } from '../../src/alert/alert-text.js';
import { judgeResponse, renderRequest } from '../../src/alert/formats.js';
import { incidentAlert, summaryAlert, warningAlert } from '../../src/alert/payload.js';
import { dingtalkSignature, feishuSignature, genericSignature } from '../../src/alert/signing.js';
import { makeWebhook, redact } from '../../src/alert/webhook.js';
import { formatForHost, type WebhookFormat } from '../../src/alert/webhook-format.js';
import type { Incident } from '../../src/contract/analysis.js';

const SECRET = 'SECtest0123456789';
const NOW = 1_700_000_000_000;

const incident: Incident = {
  process: 'anqicms',
  pid: 12345,
  diedAt: '2024-07-23T10:03:47+08:00',
  diedWithin: null,
  restartedAt: '2024-07-23T10:04:01+08:00',
  cause: 'oom-killer',
  confidence: 'confirmed',
  oom: {
    scope: 'memcg',
    cgroup: '/system.slice/anqicms.service',
    invokedBy: 'anqicms',
    totalVmKb: 4123456,
    anonRssKb: 3987652,
    fileRssKb: 1236,
    shmemRssKb: 0,
    oomScoreAdj: 0,
  },
  missing: [],
  evidence: [
    {
      source: '/dev/kmsg',
      line: 812,
      time: '2024-07-23T10:03:47+08:00',
      text: '3,812,283715000412,-;Memory cgroup out of memory: Killed process 12345 (anqicms) total-vm:4123456kB, anon-rss:3987652kB',
      says: 'kernel OOM kill of pid 12345 (anqicms), anon-rss 3.8 GiB',
    },
  ],
};
const ID = '20240723T020347Z-anqicms-3f9a2c';
const doc = incidentAlert(ID, 'web1', 'anqicms', 'app', incident, 0);

const hook = (format: WebhookFormat, url: string, secret: string | null = null) =>
  makeWebhook(new URL(url), format, secret, 0);

describe('signatures (vectors from an independent implementation)', () => {
  test('DingTalk', () =>
    assert.equal(dingtalkSignature(SECRET, NOW), 'yBKp5IlG6qCzcQWmgyRK/ziJBdVNJmHfFE2ST/CzT/g='));
  test('Feishu/Lark', () =>
    assert.equal(feishuSignature(SECRET, NOW / 1000), 'xqhKocb0RcGBDr30iFkLPByPLrRBM9Oy/dgBx968k0U='));
  test('generic', () =>
    assert.equal(
      genericSignature(SECRET, NOW / 1000, '{"a":1}'),
      'sha256=7a0c5e5916a44f543de27e8645f05c585e00f6d434f40809fba10859fe96bfae',
    ));
});

describe('formats', () => {
  test('generic: the contract document, the idempotency key in the body and the header, optionally signed', () => {
    const req = renderRequest(doc, hook('generic', 'https://hooks.example.com/oom', SECRET), NOW, 'en');
    const body = JSON.parse(req.body);
    assert.equal(body.schema, 'oomsleuth.incident/1');
    assert.equal(body.id, ID);
    assert.equal(body.host, 'web1');
    assert.deepEqual(body.incident, incident);
    assert.equal(req.headers['idempotency-key'], ID);
    assert.equal(req.headers['x-oomsleuth-timestamp'], String(NOW / 1000));
    assert.equal(req.headers['x-oomsleuth-signature'], genericSignature(SECRET, NOW / 1000, req.body));
  });

  test('Slack: text with the cause, the figures, the kernel line and the id', () => {
    const req = renderRequest(doc, hook('slack', 'https://hooks.slack.com/services/T0/B0/XYZ'), NOW, 'en');
    const { text } = JSON.parse(req.body);
    assert.match(text, /\*oomsleuth: anqicms killed by the kernel OOM killer on web1\*/);
    assert.match(text, /anon-rss 3\.8 GiB/);
    assert.match(text, /Killed process 12345/);
    assert.match(text, new RegExp(ID));
  });

  test('DingTalk: a markdown message; signed URL when a secret is given', () => {
    const req = renderRequest(
      doc,
      hook('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=TOKEN', SECRET),
      NOW,
      'en',
    );
    const body = JSON.parse(req.body);
    assert.equal(body.msgtype, 'markdown');
    assert.match(body.markdown.title, /anqicms killed by the kernel OOM killer/);
    assert.match(body.markdown.text, /^#### /);
    assert.match(body.markdown.text, new RegExp(ID));
    assert.equal(req.url.searchParams.get('access_token'), 'TOKEN');
    assert.equal(req.url.searchParams.get('timestamp'), String(NOW));
    assert.equal(req.url.searchParams.get('sign'), dingtalkSignature(SECRET, NOW));
  });

  test('Feishu/Lark: a rich-text post; timestamp and sign in the body when a secret is given', () => {
    const req = renderRequest(
      doc,
      hook('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/abc', SECRET),
      NOW,
      'en',
    );
    const body = JSON.parse(req.body);
    assert.equal(body.msg_type, 'post');
    assert.equal(body.timestamp, String(NOW / 1000));
    assert.equal(body.sign, feishuSignature(SECRET, NOW / 1000));
    const post = body.content.post.zh_cn;
    assert.match(post.title, /anqicms/);
    assert.ok(JSON.stringify(post.content).includes(ID));
  });

  test('WeCom: markdown content within its 4096-byte limit', () => {
    const long = incidentAlert(
      ID,
      'web1',
      'anqicms',
      'app',
      {
        ...incident,
        evidence: [{ ...incident.evidence[0]!, text: `Killed process ${'界'.repeat(3000)}` }],
      },
      0,
    );
    const req = renderRequest(
      long,
      hook('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K'),
      NOW,
      'en',
    );
    const body = JSON.parse(req.body);
    assert.equal(body.msgtype, 'markdown');
    assert.ok(Buffer.byteLength(body.markdown.content) <= 4096);
    assert.match(
      renderRequest(doc, hook('wecom', 'https://qyapi.weixin.qq.com/x?key=K'), NOW, 'en').body,
      new RegExp(ID),
    );
  });

  test('a crash-loop summary in every format carries its own id', () => {
    const summary = summaryAlert(`${ID}-summary`, 'web1', 'anqicms', 'anqicms', [
      { id: 'a', incident },
      { id: 'b', incident: { ...incident, cause: 'unexplained', confidence: 'possible' } },
    ]);
    assert.deepEqual(summary.causes, { 'oom-killer': 1, unexplained: 1 });
    for (const format of ['generic', 'slack', 'dingtalk', 'feishu', 'wecom'] as const) {
      const req = renderRequest(summary, hook(format, 'https://x.example/h'), NOW, 'en');
      assert.ok(req.body.includes(`${ID}-summary`), format);
      assert.equal(req.headers['idempotency-key'], `${ID}-summary`);
    }
  });

  test('an early warning in every format: what may run out and when, where the memory stands, its own id', () => {
    const WID = '20240723T010347Z-anqicms-warn-5c01e2';
    const warning = warningAlert(WID, 'web1', 'anqicms', {
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
    });
    const generic = JSON.parse(
      renderRequest(warning, hook('generic', 'https://x.example/h'), NOW, 'en').body,
    );
    assert.equal(generic.schema, 'oomsleuth.warning/1');
    assert.equal(generic.warning.timeToOomS, 480);
    const text = alertText(warning, 'en');
    assert.deepEqual(text, {
      title: 'oomsleuth: anqicms may run out of memory in about 8m on web1',
      facts: [
        'forecast: out of memory around 2024-07-23T10:08:00+08:00 (6m to 11m from the warning)',
        'memory: memory cgroup at 52 MiB of 64 MiB (81% of the limit), growing 1.2 MiB/min over the last 9m10s',
        'pid 4242, running since 2024-07-23T09:03:47+08:00',
        'warned: 2024-07-23T10:00:00+08:00 by oomsleuth guard (--warn-before 10m), once for this life',
      ],
      evidence: null,
      footer: `id ${WID} · act before the OOM killer does: restart it at a quiet moment, or find what grows`,
    });
    for (const format of ['generic', 'slack', 'dingtalk', 'feishu', 'wecom'] as const) {
      const req = renderRequest(warning, hook(format, 'https://x.example/h'), NOW, 'en');
      assert.ok(req.body.includes(WID), format);
      assert.equal(req.headers['idempotency-key'], WID);
      if (format !== 'generic') assert.ok(req.body.includes('may run out of memory in about 8m'), format);
    }
    // At the limit already, with no trend: no forecast line, the share of the limit.
    const near = alertText(
      {
        ...warning,
        warning: {
          ...warning.warning,
          reason: 'near-limit',
          timeToOomS: null,
          timeToOomBandS: null,
          oomExpectedAt: null,
          usedKb: 60_000,
        },
      },
      'en',
    );
    assert.equal(near.title, 'oomsleuth: anqicms is close to its memory limit on web1');
    assert.match(near.facts[0] ?? '', /^memory: memory cgroup at 59 MiB of 64 MiB \(92% of the limit\)/);
  });

  test('the format follows the chat service host unless given', () => {
    assert.equal(formatForHost(new URL('https://oapi.dingtalk.com/robot/send?access_token=x')), 'dingtalk');
    assert.equal(formatForHost(new URL('https://open.larksuite.com/open-apis/bot/v2/hook/x')), 'feishu');
    assert.equal(formatForHost(new URL('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x')), 'wecom');
    assert.equal(formatForHost(new URL('https://hooks.slack.com/services/x')), 'slack');
    assert.equal(formatForHost(new URL('http://127.0.0.1:9000/')), 'generic');
  });
});

describe('answers and secrets', () => {
  test("receivers' answers: HTTP status, then the chat robots' error codes inside a 200", () => {
    const generic = hook('generic', 'http://x/');
    assert.deepEqual(judgeResponse(generic, 204, ''), { ok: true, retryable: false, detail: 'HTTP 204' });
    assert.equal(judgeResponse(generic, 500, 'boom').retryable, true);
    assert.equal(judgeResponse(generic, 429, '').retryable, true);
    assert.equal(judgeResponse(generic, 404, '').retryable, false);
    const ding = hook('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=x');
    assert.equal(judgeResponse(ding, 200, '{"errcode":0,"errmsg":"ok"}').ok, true);
    const refused = judgeResponse(ding, 200, '{"errcode":310000,"errmsg":"sign not match"}');
    assert.equal(refused.ok, false);
    assert.match(refused.detail, /310000: sign not match/);
    const feishu = hook('feishu', 'https://open.feishu.cn/x');
    assert.equal(judgeResponse(feishu, 200, '{"code":0,"msg":"success"}').ok, true);
    assert.equal(judgeResponse(feishu, 200, '{"code":19021,"msg":"sign match fail"}').ok, false);
    assert.equal(judgeResponse(hook('slack', 'https://hooks.slack.com/x'), 200, 'ok').ok, true);
    assert.equal(judgeResponse(hook('slack', 'https://hooks.slack.com/x'), 200, 'invalid_payload').ok, false);
  });

  // That a bad --webhook URL is described without repeating it is tested with its parser, test/options/url.test.ts.
  test('logs never hold the token, the path or the secret', () => {
    const w = hook('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=SECRETTOKEN', SECRET);
    const leaked = `POST https://oapi.dingtalk.com/robot/send?access_token=SECRETTOKEN failed; token SECRETTOKEN; key ${SECRET}`;
    const shown = redact(leaked, w);
    assert.doesNotMatch(shown, /SECRETTOKEN/);
    assert.ok(!shown.includes(SECRET));
    assert.doesNotMatch(w.label, /SECRETTOKEN|robot/);
    const slack = hook('slack', 'https://hooks.slack.com/services/T000/B000/XXXXSECRET');
    assert.doesNotMatch(
      redact('error at https://hooks.slack.com/services/T000/B000/XXXXSECRET', slack),
      /XXXXSECRET/,
    );
  });
});

test("an OOM death's alert says in one line why memory ran out", () => {
  const diagnosed: Incident = {
    ...incident,
    diagnosis: {
      kind: 'spike',
      summary: 'A spike during content collection (采集): anqicms reached 3.4 GiB.',
      because: [],
      advice: ["Set GOMEMLIMIT=2880MiB in anqicms's environment."],
    },
  };
  const text = alertText(incidentAlert(ID, 'web1', 'anqicms', 'app', diagnosed, 0), 'en');
  assert.ok(
    text.facts.includes('Why: A spike during content collection (采集): anqicms reached 3.4 GiB.'),
    text.facts.join('\n'),
  );
  assert.ok(!alertText(doc, 'en').facts.some((f) => f.startsWith('Why:')), 'no diagnosis, no line');
});
