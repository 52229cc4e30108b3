// A local user names a process, a log line says anything: the chat alert shows it as text. Controls are removed in
// every format; Slack's mrkdwn gets `&` `<` `>` as entities (so `<!channel>` cannot page a channel); DingTalk and WeCom
// markdown get the characters that make links, emphasis, headings, HTML and mentions escaped (and `@` made a
// full-width ＠, so no phone number or user is mentioned); Feishu's post carries plain text elements, where nothing is
// markup, and never an `at` or `a` element made from log text.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderRequest } from '../../src/alert/formats.js';
import { incidentAlert } from '../../src/alert/payload.js';
import { makeWebhook } from '../../src/alert/webhook.js';
import type { WebhookFormat } from '../../src/alert/webhook-format.js';
import type { Incident } from '../../src/contract/analysis.js';

const HOSTILE_NAMES = ['<!channel>', '\x1b]8;;http://evil\x07', '[click](http://x)', '**bold**'] as const;
const LINE = 'kernel: Killed process 1 (<!here>) [a](http://x) **b** @13800138000 <@all> \x1b[2J # h &amp;';

function rendered(format: WebhookFormat, process: string): string {
  const incident: Incident = {
    process,
    pid: 1,
    diedAt: '2024-07-23T10:03:47+08:00',
    diedWithin: null,
    restartedAt: null,
    cause: 'oom-killer',
    confidence: 'confirmed',
    oom: {
      scope: 'memcg',
      cgroup: '/x/<!channel>',
      invokedBy: '[t](http://x)',
      totalVmKb: 1,
      anonRssKb: 1,
      fileRssKb: 1,
      shmemRssKb: 0,
      oomScoreAdj: 0,
    },
    missing: [],
    evidence: [{ source: '/var/log/syslog', line: 1, time: null, text: LINE, says: 'kill' }],
  };
  const doc = incidentAlert('20240723T020347Z-x-3f9a2c', 'web1', 'anqicms', 'other', incident, 0);
  const url = `https://example.com/${format}`;
  const { body } = renderRequest(doc, makeWebhook(new URL(url), format, null, 0), 0, 'en');
  return body;
}

/** Every string the chat will render (the JSON body's string values). */
function texts(body: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(JSON.parse(body));
  return out;
}

describe('chat alerts show log text as text', () => {
  for (const format of ['slack', 'dingtalk', 'feishu', 'wecom'] as const) {
    test(`${format}: no control character`, () => {
      for (const name of HOSTILE_NAMES) {
        for (const t of texts(rendered(format, name))) {
          assert.doesNotMatch(t, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/, `${format} ${JSON.stringify(name)}`);
          assert.doesNotMatch(t, /http:\/\/evil/, 'the OSC payload goes too');
        }
      }
    });
  }

  test('Slack: & < > become entities, so no mention, link or channel ping comes from log text', () => {
    for (const name of HOSTILE_NAMES) {
      const [text] = texts(rendered('slack', name));
      assert.doesNotMatch(text!, /<!|<http|<@/);
    }
    const [text] = texts(rendered('slack', '<!channel>'));
    assert.match(text!, /&lt;!channel&gt;/);
    assert.match(text!, /&amp;amp;/, 'an & in the log is shown as &');
  });

  for (const format of ['dingtalk', 'wecom'] as const) {
    // The markdown itself (DingTalk's `markdown.title` is the notification's plain-text preview, no markdown).
    const markdown = (name: string) => {
      const m = JSON.parse(rendered(format, name)).markdown;
      return String(format === 'dingtalk' ? m.text : m.content);
    };
    test(`${format}: markdown links, emphasis, HTML and mentions from log text are escaped`, () => {
      const body = markdown('[click](http://x)');
      assert.match(body, /\\\[click\\\]\(http:\/\/x\)/);
      assert.doesNotMatch(body, /(?<!\\)\[click(?<!\\)\]/);
      const bold = markdown('**bold**');
      assert.match(bold, /\\\*\\\*bold\\\*\\\*/);
      const channel = markdown('<!channel>');
      assert.doesNotMatch(channel, /(?<!\\)<!channel/);
      assert.doesNotMatch(channel, /(?<!\\)<@all>/);
      assert.doesNotMatch(channel, /@13800138000/, 'no mention by phone number');
      assert.match(channel, /＠13800138000/);
    });
  }

  test('Feishu: log text travels in plain text elements only', () => {
    const post = JSON.parse(rendered('feishu', '<!channel>')).content.post.zh_cn;
    const tags = new Set(post.content.flat().map((e: { tag: string }) => e.tag));
    assert.deepEqual([...tags], ['text']);
  });
});
