// Classifying files from their first lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DETECT_SAMPLE_LINES, detectCarrier, looksLikeAppLogName } from '../../src/framing/detect.js';

const RUNNING_LOG = [
  '2024/07/23 10:04:01 /www/wwwroot/anqicms/',
  'Iris Version: 12.2.11',
  '',
  'Now listening on: http://localhost:8001',
  'Application started. Press CTRL+C to shut down.',
  '2024/07/23 10:04:02 请手动在浏览器输入访问地址： http://127.0.0.1:8001',
  '重载模板',
  '监听到路由更改',
  '2024/07/23 11:30:00 进程结束，开始重启',
  '退出 terminated',
  '监听到退出信号',
];

const PROSE = [
  'The quick brown fox jumps over the lazy dog.',
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit.',
  'Sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.',
  'Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris.',
];

test('a Chinese AnQiCMS running.log is app-log, whatever its name', () => {
  assert.equal(detectCarrier(RUNNING_LOG, 'running.log')?.format, 'app-log');
  assert.equal(detectCarrier(RUNNING_LOG, 'whatever.txt')?.format, 'app-log');
});

test('fmt-only app output without markers needs an app-like name', () => {
  const plain = ['重载模板', '监听到路由更改', 'some output'];
  assert.equal(detectCarrier(plain, '/www/wwwroot/anqicms/running.log')?.format, 'app-log');
  assert.equal(detectCarrier(plain, 'nohup.out')?.format, 'app-log');
  assert.equal(detectCarrier(plain, 'running.log.2.gz')?.format, 'app-log');
  assert.equal(detectCarrier(plain, 'notes.txt'), null);
});

test('random text is nothing', () => {
  assert.equal(detectCarrier(PROSE, 'notes.txt'), null);
  assert.equal(detectCarrier(PROSE, 'syslog'), null);
});

test('binary junk is nothing, even under an app-like name', () => {
  const junk = [
    '\u0001\u0002\u0003\ufffd\ufffd\u0004\u0005PK\u0003\u0004',
    '\ufffd\ufffd\ufffd\u0007\u0008\u000e\u000f',
    '\u0000\u0000\u0000',
  ];
  assert.equal(detectCarrier(junk, 'nohup.out'), null);
  assert.equal(detectCarrier(junk, 'data.bin'), null);
});

test('empty or blank samples are nothing', () => {
  assert.equal(detectCarrier([], 'syslog'), null);
  assert.equal(detectCarrier(['', '  ', '\r'], 'syslog'), null);
});

test('a document quoting one log line among prose is nothing', () => {
  const doc = [...PROSE, 'Jul 23 10:04:01 web1 kernel: Out of memory: Killed process 1 (x)', ...PROSE];
  assert.equal(detectCarrier(doc, 'README.md'), null);
});

test('junk lines ahead of real syslog lines (NUL blocks after a crash) do not hide it', () => {
  const lines = [
    '\u0000\u0000\u0000\u0000',
    '\u0001\u0002\u0003\u0004\u0005',
    'Jul 23 10:04:01 web1 kernel: a',
    'Jul 23 10:04:02 web1 systemd[1]: b',
  ];
  assert.equal(detectCarrier(lines, 'messages')?.format, 'syslog-rfc3164');
});

test('3164 vs journal short: days 10–31 tie → 3164, unless the name says journal; one zero-padded day decides', () => {
  const lines = ['Nov 27 00:50:37 vm kernel: a', 'Nov 27 00:50:38 vm systemd[1]: b'];
  assert.equal(detectCarrier(lines, 'syslog')?.format, 'syslog-rfc3164');
  assert.equal(detectCarrier(lines, 'export.txt')?.format, 'syslog-rfc3164');
  assert.equal(detectCarrier(lines, 'journal-export.txt')?.format, 'journal-short');
  assert.equal(detectCarrier([...lines, 'Dec 01 00:00:01 vm kernel: c'], 'x')?.format, 'journal-short');
  assert.equal(
    detectCarrier(['-- Boot 66165ab1531d44038417129576ef7791 --', ...lines], 'x')?.format,
    'journal-short',
  );
  assert.equal(detectCarrier([...lines, 'Dec  1 00:00:01 vm kernel: c'], 'x')?.format, 'syslog-rfc3164');
});

test('journal short-monotonic vs plain dmesg', () => {
  const journal = [
    '[    1.000000] vm kernel: Linux version 6.18.44',
    '[    1.874611] vm systemd[1]: Started systemd-journald.service.',
    '[  127.550964] vm kernel: anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
  ];
  assert.equal(detectCarrier(journal, 'x')?.format, 'journal-short-monotonic');
  const kernel = [
    '[    0.000000] Linux version 6.18.44',
    '[    1.120000] usb 1-1: new high-speed USB device number 2 using xhci_hcd',
    '[  127.550964] anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    '[  127.551082] Call Trace:',
  ];
  assert.equal(detectCarrier(kernel, 'x')?.format, 'dmesg');
});

test('a check.log holding only untimed script output is still the guardian log', () => {
  assert.equal(
    detectCarrier(['anqicms NOT running', 'PID anqicms check: 0'], 'check.log')?.format,
    'check-sh',
  );
});

test('kernel/system carriers beat app-log: a syslog line quoting a Go panic stays syslog', () => {
  const lines = [
    'Jul 23 10:04:01 web1 anqicms[2249]: panic: runtime error: index out of range',
    'Jul 23 10:04:01 web1 anqicms[2249]: java.lang.OutOfMemoryError: Java heap space',
    'Jul 23 10:04:02 web1 systemd[1]: anqicms.service: Main process exited, code=exited, status=2/INVALIDARGUMENT',
  ];
  assert.equal(detectCarrier(lines, 'running.log')?.format, 'syslog-rfc3164');
});

test('guardian lines beat app lines on a tie', () => {
  const lines = ['20240723 10:04:01 anqicms PID check: 1', '2024/07/23 10:04:01 /www/wwwroot/anqicms/'];
  assert.equal(detectCarrier(lines, 'x')?.format, 'check-sh');
});

test(`only the first ${DETECT_SAMPLE_LINES} non-empty lines are looked at`, () => {
  const lines = [...Array.from({ length: DETECT_SAMPLE_LINES }, (_, i) => `prose line ${i}`)];
  const syslog = Array.from({ length: 500 }, () => 'Jul 23 10:04:01 web1 kernel: a');
  assert.equal(detectCarrier([...lines, ...syslog], 'x'), null);
  assert.equal(detectCarrier(['', '', ...syslog], 'x')?.format, 'syslog-rfc3164');
});

test('app-like names', () => {
  for (const name of [
    'running.log',
    'nohup.out',
    'server.out',
    'app.log',
    'app-2024.log',
    'svc.stdout.log',
    'x-stderr',
    'running.log.1',
  ]) {
    assert.ok(looksLikeAppLogName(name), name);
  }
  for (const name of ['syslog', 'messages-20240721', 'check.log', 'kern.log.2.gz', 'journal.json']) {
    assert.equal(looksLikeAppLogName(name), false, name);
  }
});

test('an app log stamped the Java way is app-log; RFC 3339 syslog and short-iso journals stay theirs', () => {
  const java = [
    '2024-03-05 13:02:11,123 INFO  [main] c.e.shop.ShopApplication - Starting ShopApplication using Java 17.0.10 with PID 2318',
    '2024-03-05 13:02:19,840 INFO  [main] c.e.shop.ShopApplication - Started ShopApplication in 9.1 seconds (process running for 9.8)',
    '2024-03-05 13:05:44,002 WARN  [http-nio-8080-exec-3] c.e.shop.web.CartController - slow request 2411 ms',
  ];
  assert.equal(detectCarrier(java, 'shop.log')?.format, 'app-log');
  const syslog = [
    '2024-07-23T10:04:01.553604+08:00 web1 kernel: Out of memory: Killed process 12345 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    '2024-07-23T10:04:02.104311+08:00 web1 systemd[1]: anqicms.service: Main process exited, code=killed, status=9/KILL',
    '2024-07-23T10:04:02.104311+08:00 web1 anqicms[1689]: 2024/07/23 10:04:02 request done',
  ];
  assert.equal(detectCarrier(syslog, 'messages')?.format, 'syslog-rfc3339');
  const shortIso = ['2026-11-27T08:50:42+0800 vm anqicms[7056]: 2026/11/27 08:50:42 进程结束，开始重启'];
  assert.equal(detectCarrier(shortIso, 'x.txt')?.format, 'journal-short-iso');
});
