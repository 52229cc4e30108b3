// Which language oomsleuth speaks: people read --lang, else the locale's; the JSON's prose follows --lang only, so a
// zh_CN login shell never changes what a cron job parses. A bad --lang names the choices, on every command.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Analysis } from '../../src/contract/analysis.js';
import { chooseLanguages, localeLanguage } from '../../src/report/language.js';
import { runCli } from '../helpers/cli.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/anqicms-vps', import.meta.url));
/** A locale that says nothing, so the machine running the tests cannot leak its own into a case. */
const NO_LOCALE = { LC_ALL: undefined, LC_MESSAGES: undefined, LANG: undefined, LANGUAGE: undefined };

test('the locale: LC_ALL, then LC_MESSAGES, then LANG; zh_* is Chinese, anything else English', () => {
  assert.equal(localeLanguage({ LANG: 'zh_CN.UTF-8' }), 'zh');
  assert.equal(localeLanguage({ LANG: 'zh_TW.UTF-8' }), 'zh');
  assert.equal(localeLanguage({ LANG: 'zh' }), 'zh');
  assert.equal(localeLanguage({ LANG: 'en_US.UTF-8' }), 'en');
  assert.equal(localeLanguage({}), 'en');
  assert.equal(localeLanguage({ LC_ALL: 'C', LANG: 'zh_CN.UTF-8' }), 'en', 'LC_ALL wins over LANG');
  assert.equal(localeLanguage({ LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }), 'zh');
  assert.equal(localeLanguage({ LANG: 'zhx_YZ' }), 'en', 'a locale that only starts with zh is not Chinese');
});

test('--lang decides both; without it people get the locale and the JSON stays English', () => {
  assert.deepEqual(chooseLanguages(undefined, { LANG: 'zh_CN.UTF-8' }), {
    language: 'zh',
    jsonLanguage: 'en',
  });
  assert.deepEqual(chooseLanguages('zh', { LANG: 'C' }), { language: 'zh', jsonLanguage: 'zh' });
  assert.deepEqual(chooseLanguages('en', { LANG: 'zh_CN.UTF-8' }), { language: 'en', jsonLanguage: 'en' });
});

/** The example folder, copied so the run's paths do not depend on the clone's. */
function withExample(run: (cwd: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const parent = mkdtempSync(join(tmpdir(), 'oomsleuth-lang-'));
    try {
      cpSync(EXAMPLE, join(parent, 'anqicms-vps'), { recursive: true });
      await run(parent);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  };
}

const ARGS = ['analyze', 'anqicms-vps', '--tz', 'Asia/Shanghai'];

test(
  'LANG=zh_CN.UTF-8: the terminal report in Chinese, the JSON `says` in English',
  withExample(async (cwd) => {
    const env = { ...NO_LOCALE, LANG: 'zh_CN.UTF-8', COLUMNS: '120' };
    const terminal = await runCli(ARGS, { cwd, env });
    assert.equal(terminal.code, 0, terminal.stderr);
    assert.match(terminal.stdout, /^anqicms：退出 3 次：OOM 杀死 1 次，崩溃 1 次，主动停止 1 次/);
    assert.match(terminal.stdout, /被内核 OOM killer 杀死 {2}\[已证实\]/);
    const json = await runCli([...ARGS, '--json'], { cwd, env });
    const analysis = JSON.parse(json.stdout) as Analysis;
    const says = analysis.incidents.flatMap((i) => i.evidence.map((e) => e.says));
    assert.ok(says.includes('kernel OOM kill of pid 18734 (anqicms), anon-rss 3.4 GiB'), says.join('\n'));
    assert.deepEqual(
      says.filter((s) => /[\u4e00-\u9fff]/.test(s)),
      [],
      'no Chinese `says` from the locale alone',
    );
  }),
);

test(
  '--lang zh: Chinese in the terminal and in the JSON `says` and diagnosis; keys and enum values unchanged',
  withExample(async (cwd) => {
    const env = { ...NO_LOCALE, LANG: 'en_US.UTF-8', COLUMNS: '120' };
    const terminal = await runCli([...ARGS, '--lang', 'zh'], { cwd, env });
    assert.match(terminal.stdout, /^anqicms：退出 3 次/);
    const english = JSON.parse((await runCli([...ARGS, '--json'], { cwd, env })).stdout) as Analysis;
    const chinese = JSON.parse(
      (await runCli([...ARGS, '--json', '--lang', 'zh'], { cwd, env })).stdout,
    ) as Analysis;
    const kill = chinese.incidents[1]!.evidence.find((e) => e.text.includes('Killed process'));
    assert.equal(kill?.says, '内核 OOM 杀死了 pid 18734（anqicms），anon-rss 3.4 GiB');
    // Everything but the prose is the same document.
    const withoutSays = (a: Analysis) =>
      JSON.stringify({
        ...a,
        generatedAt: null,
        incidents: a.incidents.map((i) => ({
          ...i,
          evidence: i.evidence.map((e) => ({ ...e, says: '' })),
          // The diagnosis's kind and cited lines stay; its prose is the language's.
          ...(i.diagnosis && {
            diagnosis: {
              ...i.diagnosis,
              summary: '',
              because: i.diagnosis.because.map((b) => ({ ...b, says: '' })),
              advice: i.diagnosis.advice.map(() => ''),
            },
          }),
        })),
      });
    assert.equal(withoutSays(chinese), withoutSays(english));
  }),
);

test(
  '--lang en wins over a Chinese locale',
  withExample(async (cwd) => {
    const run = await runCli([...ARGS, '--lang', 'en'], { cwd, env: { ...NO_LOCALE, LANG: 'zh_CN.UTF-8' } });
    assert.match(run.stdout, /^anqicms: 3 deaths: 1 OOM kill, 1 crash, 1 stop/);
  }),
);

test('a bad --lang: exit 2, the value and the choices, on every command', async () => {
  for (const args of [
    ['analyze', '.', '--lang', 'fr'],
    ['watch', '--lang', 'zh_CN'],
    ['incidents', '--lang', 'chinese'],
    ['guard', '--lang', 'EN', '--', '/bin/true'],
  ]) {
    const run = await runCli(args, { env: NO_LOCALE });
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    const value = args[args.indexOf('--lang') + 1]!;
    assert.ok(
      run.stderr.includes(`--lang ${JSON.stringify(value)} must be en or zh [OOMS_E_USAGE]`),
      `${args.join(' ')}: ${run.stderr}`,
    );
  }
});
