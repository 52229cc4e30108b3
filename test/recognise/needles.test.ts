// The prefilter's needles for the lines only an app in focus needs: its own lines in a system log, its unit's job
// lines, clean ends and restarts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needlesFor } from '../../src/recognise/needles.js';

test("with an app in focus, a system log's needles hold its name (cut to 15 characters) and its unit", () => {
  const needles = needlesFor('system', 'syslog-rfc3164', 'microsoft-identity-device-broker') ?? [];
  assert.ok(needles.includes('microsoft-ident'), needles.join(' | '));
  assert.ok(needles.includes('microsoft-identity-device-broker.service'));
  const journal = needlesFor('system', 'journal-json', 'anqicms') ?? [];
  assert.ok(journal.includes('anqicms'));
});

test('with no focus, no app name is a needle; app logs keep their own table', () => {
  const needles = needlesFor('system', 'syslog-rfc3164', null) ?? [];
  assert.ok(!needles.some((n) => n.endsWith('.service')));
  const app = needlesFor('app', 'app-log', 'anqicms') ?? [];
  assert.ok(app.includes('java.lang.OutOfMemoryError'));
  assert.ok(!app.includes('anqicms'));
});

const OLD_SYSTEMD_HEAD = [
  'Jul 23 09:17:52 web1 systemd[1]: Started Session 412 of user root.',
  'Jul 23 09:20:01 web1 CRON[31022]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)',
];
const NEW_SYSTEMD_HEAD = [
  'Jul 23 10:00:04 web1 systemd[1]: Starting sysstat-collect.service - system activity accounting tool...',
  'Jul 23 10:01:44 web1 systemd[1]: Started session-1234.scope - Session 1234 of User root.',
];

test('with no app in focus, no job, clean-end, restart or upstart line is decoded', () => {
  const needles = needlesFor('system', 'syslog-rfc3164', null, OLD_SYSTEMD_HEAD) ?? [];
  for (const n of ['Started ', 'Stopping ', ': Deactivated successfully.', 'Scheduled restart job', ' sig='])
    assert.ok(!needles.includes(n), `${n} is a needle`);
  // Crash and exit records are read for every process.
  assert.ok(needles.includes(': segfault at '));
});

test("before systemd 250 every job line is decoded: the app's may carry only its description", () => {
  const needles = needlesFor('system', 'syslog-rfc3164', 'anqicms', OLD_SYSTEMD_HEAD) ?? [];
  for (const n of [
    'Started ',
    'Starting ',
    'Stopped ',
    'Stopping ',
    'Scheduled restart job',
    'anqicms.service',
  ])
    assert.ok(needles.includes(n), `${n} is no needle`);
  // `Deactivated successfully.` always names its unit: every timer's run ends in one.
  assert.ok(!needles.includes(': Deactivated successfully.'));
});

test("when the first lines show job lines naming their unit, only the app unit's are decoded", () => {
  const needles = needlesFor('system', 'syslog-rfc3164', 'anqicms', NEW_SYSTEMD_HEAD) ?? [];
  for (const n of ['Started ', 'Starting ', 'Stopped ', 'Stopping '])
    assert.ok(!needles.includes(n), `${n} is a needle`);
  assert.ok(needles.includes('anqicms.service'));
});
