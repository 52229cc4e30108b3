// watch's options at the edge: webhooks from flags or the environment, paired with formats and secrets by position;
// every problem together, no URL repeated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OomsleuthError } from '../../src/errors.js';
import { defaultStorePath } from '../../src/store/default-path.js';
import { loadWatchConfig } from '../../src/watch/watch-config.js';

const env = { HOME: '/home/op' };

async function problemsOf(flags: Record<string, unknown>, extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  const error = await loadWatchConfig(['/var/log/syslog'], flags, { ...env, ...extraEnv }).catch(
    (e: unknown) => e,
  );
  assert.ok(error instanceof OomsleuthError, 'refused');
  assert.equal(error.code, 'OOMS_E_USAGE');
  return error.message;
}

test('defaults, and webhooks from the environment with one secret for all; frozen', async () => {
  const config = await loadWatchConfig(
    [],
    {},
    {
      ...env,
      OOMSLEUTH_WEBHOOK: 'https://oapi.dingtalk.com/robot/send?access_token=T  https://example.com/hook',
      OOMSLEUTH_WEBHOOK_SECRET: 'SEC1',
    },
  );
  assert.deepEqual(
    config.webhooks.map((w) => [w.format, w.secret, w.label]),
    [
      ['dingtalk', 'SEC1', '#1 dingtalk oapi.dingtalk.com'],
      ['generic', 'SEC1', '#2 generic example.com'],
    ],
  );
  assert.deepEqual(
    [config.alertOn, config.settleMs, config.retryMaxMs, config.crashLoopMs, config.metrics],
    ['app', 90_000, 300_000, 300_000, null],
  );
  assert.equal(config.db, defaultStorePath({ ...env }));
  assert.ok(
    Object.isFrozen(config) && Object.isFrozen(config.webhooks) && Object.isFrozen(config.webhooks[0]),
  );
});

test('flags win over the environment; formats and secrets pair by position', async () => {
  const config = await loadWatchConfig(
    [],
    {
      webhook: ['https://a.example/1', 'https://hooks.slack.com/services/x'],
      webhookFormat: ['feishu', 'slack'],
      webhookSecret: ['S', ''],
      crashLoopWindow: '0',
      metrics: '9464',
    },
    { ...env, OOMSLEUTH_WEBHOOK: 'https://ignored.example/', OOMSLEUTH_WEBHOOK_SECRET: 'IGNORED' },
  );
  assert.deepEqual(
    config.webhooks.map((w) => [w.url.host, w.format, w.secret]),
    [
      ['a.example', 'feishu', 'S'],
      ['hooks.slack.com', 'slack', null],
    ],
  );
  assert.equal(config.crashLoopMs, 0);
  assert.deepEqual(config.metrics, { host: '127.0.0.1', port: 9464 });
});

test('a bad URL does not hide a count that does not match, and is never repeated', async () => {
  const message = await problemsOf({
    webhook: ['hooks.example.com/TOKEN123', 'https://ok.example/'],
    webhookSecret: ['a', 'b', 'c'],
  });
  assert.match(message, /--webhook #1 is not a URL/);
  assert.match(message, /--webhook-secret given 3 times for 2 webhook\(s\)/);
  assert.doesNotMatch(message, /TOKEN123/);
});

test('cross-field problems: a signed secret on an unsigned format, a webhook twice, a format without a webhook', async () => {
  assert.match(
    await problemsOf({ webhook: ['https://hooks.slack.com/services/x'], webhookSecret: ['S'] }),
    /--webhook-secret for webhook #1: slack webhooks are not signed/,
  );
  assert.match(
    await problemsOf({ webhook: ['https://a.example/', 'https://a.example/'] }),
    /--webhook the same webhook is given twice/,
  );
  assert.match(
    await problemsOf({ webhookFormat: ['slack'] }),
    /--webhook-format and --webhook-secret need a --webhook/,
  );
});

test('paths and durations: stdin cannot be followed; too short says the minimum', async () => {
  const message = await problemsOf({ alertRetryMax: '500ms', settle: 'soon' });
  assert.match(message, /--alert-retry-max 500ms is too short: at least 1s/);
  assert.match(message, /--settle "soon" is not a duration/);
  const error = await loadWatchConfig(['-'], {}, env).catch((e: unknown) => e);
  assert.match(String((error as Error).message), /PATH - \(stdin\) cannot be followed/);
});

test('the alerts speak --lang, else the locale; the stored prose --lang only', async () => {
  const pick = async (flags: Record<string, unknown>, locale: NodeJS.ProcessEnv) => {
    const { language, jsonLanguage } = await loadWatchConfig([], flags, { ...env, ...locale });
    return [language, jsonLanguage];
  };
  assert.deepEqual(await pick({}, {}), ['en', 'en']);
  assert.deepEqual(await pick({}, { LANG: 'zh_CN.UTF-8' }), ['zh', 'en']);
  assert.deepEqual(await pick({ lang: 'zh' }, {}), ['zh', 'zh']);
  assert.deepEqual(await pick({ lang: 'en' }, { LC_ALL: 'zh_CN.UTF-8' }), ['en', 'en']);
  assert.match(await problemsOf({ lang: 'cn' }), /--lang "cn" must be en or zh/);
});
