// The guard with --lang zh (or a Chinese locale): check.log stays English, line for line — oomsleuth's own
// recognisers and the operator's scripts read it back — while the --incidents record's `says` follow --lang only.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { readBack } from './check-line-readback.js';
import { assertBuilt, makeSandbox, readLines } from './support.js';

await assertBuilt();

const NO_LOCALE = { LC_ALL: undefined, LC_MESSAGES: undefined, LANG: 'C' };

async function diesWithCode3(args: readonly string[], env: NodeJS.ProcessEnv) {
  const box = await makeSandbox('lang');
  try {
    const run = box.guard(['/bin/sh', '-c', 'exit 3'], ['--once', ...args], {
      env: { ...NO_LOCALE, ...env },
    });
    const exited = await run.exited;
    const checkLog = await readLines(box.checkLog);
    const incident = JSON.parse((await readFile(box.incidents, 'utf8')).trim()) as {
      cause: string;
      evidence: { says: string }[];
    };
    return { exited, checkLog, incident, stderr: run.stderr() };
  } finally {
    await box.cleanup();
  }
}

test('--lang zh: check.log in English, the incident record says it in Chinese', async () => {
  const zh = await diesWithCode3(['--lang', 'zh'], {});
  assert.equal(zh.exited.code, 3);
  const died = zh.checkLog.find((line) => line.includes(' died: '));
  assert.match(died ?? '', /^\d{8} \d{2}:\d{2}:\d{2} sh died: exit code 3 after \S+, pid \d+ — crash \(/);
  assert.doesNotMatch(zh.checkLog.join('\n'), /[\u4e00-\u9fff]/, 'no Chinese in check.log');
  const event = readBack(died!);
  assert.equal(
    event?.type === 'guard.died' ? event.verdict?.cause : null,
    'crash',
    'oomsleuth still reads its line',
  );
  assert.equal(zh.incident.cause, 'crash');
  assert.match(zh.incident.evidence[0]?.says ?? '', /^子进程以退出码 3 退出/);
});

test('a Chinese locale alone: the record stays English, check.log too', async () => {
  const locale = await diesWithCode3([], { LANG: 'zh_CN.UTF-8' });
  assert.match(locale.incident.evidence[0]?.says ?? '', /^the child exited with code 3/);
  assert.doesNotMatch(locale.checkLog.join('\n'), /[\u4e00-\u9fff]/);
});
