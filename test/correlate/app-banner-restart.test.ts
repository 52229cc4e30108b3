// The app's own output as a witness of its deaths and restarts: a running.log that begins mid-life (no banner at its
// top) and later shows a new banner is a death and a restart — the cliff, then a new session — with no other log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ms, onlyDeath, readFolder } from './log-folder.js';

const at = (hms: string) => ms(`2024-07-23T${hms}+08:00`);

/** AnQiCMS's startup banner, the exec-path line stamped `hms`. */
function banner(hms: string): string[] {
  return [
    `2024/07/23 ${hms} /www/wwwroot/www.example.com/`,
    'Iris Version: 12.2.11',
    '',
    'Now listening on: http://localhost:8001',
    'Application started. Press CTRL+C to shut down.',
  ];
}

test('a running.log that begins mid-life and later shows a banner is a death and a restart', () => {
  const death = onlyDeath(
    {
      'running.log': [
        '2024/07/23 09:41:28 sitemap 生成完成，共 936 条链接',
        '重载模板',
        '2024/07/23 09:56:54 推送百度: 成功 8 条',
        ...banner('10:04:01'),
        '2024/07/23 10:04:02 请手动在浏览器输入访问地址： http://127.0.0.1:8001',
      ],
    },
    { app: 'anqicms' },
  );
  assert.equal(death.verdict.cause, 'unexplained');
  assert.deepEqual(death.diedWithinMs, [at('09:56:54'), at('10:04:01')]);
  assert.equal(death.restartedAtMs, at('10:04:01'));
  assert.deepEqual(death.missing, ['kernel-log', 'guardian-log']);
});

test("nohup's notice before the first banner is no life of its own", () => {
  const { deaths } = readFolder(
    {
      'running.log': [
        'nohup: ignoring input',
        ...banner('08:15:01'),
        '2024/07/23 09:56:54 推送百度: 成功 8 条',
      ],
    },
    { app: 'anqicms' },
  ).findings;
  assert.equal(deaths.length, 0);
});

test('an exec-path line begins a new life even after a life that began mid-banner: it dates the restart', () => {
  // The file was cut between the exec-path line and the Iris banner of the first life.
  const death = onlyDeath(
    {
      'running.log': [
        'Iris Version: 12.2.11',
        '',
        'Now listening on: http://localhost:8001',
        'Application started. Press CTRL+C to shut down.',
        '2024/07/23 09:56:54 推送百度: 成功 8 条',
        ...banner('10:04:01'),
      ],
    },
    { app: 'anqicms' },
  );
  assert.deepEqual(death.diedWithinMs, [at('09:56:54'), at('10:04:01')]);
  assert.equal(death.restartedAtMs, at('10:04:01'));
});
