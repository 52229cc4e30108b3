// The AnQiCMS guardian log: timed PID-check and supervisor lines, untimed script output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSh } from '../../src/framing/check-sh.js';
import { frameLines, frameOne } from './frame-lines.js';

test('PID check line: local stamp with year, message after the time', () => {
  const record = frameOne(checkSh, '20240723 10:04:01 anqicms PID check: 0');
  assert.deepEqual(record.stamp, {
    kind: 'local',
    year: 2024,
    month: 7,
    day: 23,
    hour: 10,
    minute: 4,
    second: 1,
    millis: 0,
  });
  assert.equal(record.message, 'anqicms PID check: 0');
  assert.equal(record.ident, null);
  assert.equal(record.host, null);
});

test('an empty value keeps its trailing space', () => {
  assert.equal(frameOne(checkSh, '20261127 00:52:51 anqicms PID check: ').message, 'anqicms PID check: ');
});

test('supervisor lines share the prefix', () => {
  assert.equal(
    frameOne(checkSh, '20240723 10:04:01 anqicms died: signal SIGKILL after 3h12m — oom').message,
    'anqicms died: signal SIGKILL after 3h12m — oom',
  );
  assert.equal(
    frameOne(checkSh, '20240723 10:04:03 anqicms restarted: pid 12401').message,
    'anqicms restarted: pid 12401',
  );
});

test('untimed lines: no stamp, the whole line as message', () => {
  const lines = [
    'anqicms NOT running',
    'anqicms is not running. Starting it...',
    'PID anqicms check: 1',
    'kill -9 1234',
    'anqicms is stop',
    '[: -eq: unary operator expected',
  ];
  for (const [index, record] of frameLines(checkSh, lines).entries()) {
    assert.ok(record);
    assert.equal(record.stamp.kind, 'none');
    assert.equal(record.message, lines[index]);
    assert.ok(checkSh.sniff(lines[index] ?? ''), lines[index]);
  }
});

test('an impossible date is not a stamp', () => {
  const record = frameOne(checkSh, '20241399 10:04:01 anqicms PID check: 1');
  assert.equal(record.stamp.kind, 'none');
  assert.equal(record.message, '20241399 10:04:01 anqicms PID check: 1');
});

test('CRLF check.log (edited on Windows) frames the same', () => {
  assert.equal(frameOne(checkSh, '20240723 10:04:01 anqicms PID check: 1\r').message, 'anqicms PID check: 1');
});
