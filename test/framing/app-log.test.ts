// The service's stdout/stderr: Go log lines stamped, everything else whole and unstamped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appLog } from '../../src/framing/app-log.js';
import { frameLines, frameOne } from './frame-lines.js';

test('Go log prefix: local stamp with year, message after the time', () => {
  const record = frameOne(appLog, '2024/07/23 10:04:01 进程结束，开始重启');
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
  assert.equal(record.message, '进程结束，开始重启');
});

test('Go log prefix with microseconds', () => {
  const record = frameOne(appLog, '2024/07/23 10:04:01.553604 hello');
  assert.ok(record.stamp.kind === 'local');
  assert.equal(record.stamp.millis, 553.604);
  assert.equal(record.message, 'hello');
});

test('log.Println("") gives an empty message', () => {
  assert.equal(frameOne(appLog, '2024/07/23 10:04:01 ').message, '');
});

test('fmt lines, banners, panics and goroutine frames: no stamp, whole line, no inheritance', () => {
  const lines = [
    '2024/07/23 10:04:01 /www/wwwroot/anqicms/',
    'Iris Version: 12.2.11',
    'panic: runtime error: invalid memory address or nil pointer dereference',
    'goroutine 1 [running]:',
    'main.main()',
    '\t/src/main.go:12 +0x25',
    '退出 terminated',
  ];
  const records = frameLines(appLog, lines);
  records.slice(1).forEach((record, index) => {
    assert.ok(record);
    assert.equal(record.stamp.kind, 'none');
    assert.equal(record.message, lines[index + 1]);
  });
});

test('blank lines frame to null', () => {
  assert.deepEqual(frameLines(appLog, ['', '   ', '\r']), [null, null, null]);
});
