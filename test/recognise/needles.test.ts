// The prefilter's needles for the lines only an app in focus needs: its own lines in a system log, its unit's job
// lines, clean ends and restarts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appRecordFilter } from '../../src/correlate/app-records.js';
import { carrierByFormat } from '../../src/framing/carrier-list.js';
import { needlesFor } from '../../src/recognise/needles.js';

test("with an app in focus, a system log's needles hold its name (cut to 15 characters) and its unit", () => {
  const needles = needlesFor('system', 'syslog-rfc3164', 'microsoft-identity-device-broker') ?? [];
  assert.ok(needles.includes('microsoft-ident'), needles.join(' | '));
  assert.ok(needles.includes('microsoft-identity-device-broker.service'));
  const journal = needlesFor('system', 'journal-json', 'anqicms') ?? [];
  assert.ok(journal.includes('"anqicms"'), 'SYSLOG_IDENTIFIER, _COMM');
  assert.ok(journal.includes('anqicms.s'), '_SYSTEMD_UNIT');
  assert.ok(!journal.includes('anqicms'), 'any line naming it');
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

/** Lines of a system log in each format: the app's own (by appRecordFilter), and lines that only name it. */
const OWN_AND_MENTIONS: Record<string, readonly string[]> = {
  'syslog-rfc3164': [
    'Jul  1 00:00:05 web-prod-3 anqicms[108193]: 2024/07/01 00:00:05 panic: runtime error',
    'Jul  1 00:00:06 web-prod-3 anqicms: started without a pid',
    'Jul  1 00:00:07 web-prod-3 anqicms.service[2318]: with-unit output',
    'Jul  1 00:00:08 web-prod-3 anqicms@2.service[2319]: a template instance',
    'Jul  1 00:00:01 web-prod-3 CRON[51802]: (root) CMD (/www/wwwroot/anqicms/start.sh)',
    'Jul  1 00:01:36 web-prod-3 nginx: 2024/07/01 00:01:36 [error] 1023#1023: *655976 open() "/www/wwwroot/anqicms/public/x" failed',
    'Jul  1 00:01:37 web-prod-3 sudo[77]: deploy : COMMAND=/usr/bin/tail -f /www/wwwroot/anqicms/running.log',
  ],
  'syslog-rfc5424': [
    '<30>1 2024-07-23T10:04:01.553604+08:00 web1 anqicms 1689 - - panic: runtime error',
    '<78>1 2024-07-23T10:04:01.553604+08:00 web1 CRON 51802 - - (root) CMD (/www/wwwroot/anqicms/start.sh)',
  ],
  'journal-json': [
    '{"__REALTIME_TIMESTAMP":"1795740642354420","__MONOTONIC_TIMESTAMP":"458637775","_BOOT_ID":"66165ab1531d44038417129576ef7791","SYSLOG_IDENTIFIER":"anqicms","_PID":"7056","MESSAGE":"panic: x"}',
    '{ "__REALTIME_TIMESTAMP" : "1795740642354421", "_BOOT_ID" : "66165ab1531d44038417129576ef7791", "SYSLOG_IDENTIFIER" : "java", "_PID" : "7057", "_SYSTEMD_UNIT" : "anqicms.service", "MESSAGE" : "Exception" }',
    '{"__REALTIME_TIMESTAMP":"1795740642354422","_BOOT_ID":"66165ab1531d44038417129576ef7791","_COMM":"anqicms","_PID":"7058","MESSAGE":"no identifier"}',
    '{"__REALTIME_TIMESTAMP":"1795740642354423","_BOOT_ID":"66165ab1531d44038417129576ef7791","SYSLOG_IDENTIFIER":"CRON","_PID":"51802","_SYSTEMD_UNIT":"cron.service","MESSAGE":"(root) CMD (/www/wwwroot/anqicms/start.sh)"}',
    '{"__REALTIME_TIMESTAMP":"1795740642354424","_BOOT_ID":"66165ab1531d44038417129576ef7791","SYSLOG_IDENTIFIER":"earlyoom","_PID":"812","MESSAGE":"sending SIGTERM to process 18734 uid 0 \\"anqicms\\": badness 903"}',
  ],
};

test("the app's own lines in a system log hold a needle; lines that only name it (cron, nginx) need not", () => {
  const isApp = appRecordFilter('anqicms');
  for (const [format, lines] of Object.entries(OWN_AND_MENTIONS)) {
    const framer = carrierByFormat(format)!.createFramer(1);
    const needles = needlesFor('system', format, 'anqicms', NEW_SYSTEMD_HEAD) ?? [];
    const unfocused = new Set(needlesFor('system', format, null, NEW_SYSTEMD_HEAD) ?? []);
    const forTheApp = needles.filter((n) => !unfocused.has(n));
    let own = 0;
    lines.forEach((text, i) => {
      const record = framer.frame({ sourceId: 1, lineNo: i + 1, text, truncated: false });
      assert.ok(record, `${format}: ${text}`);
      if (isApp(record)) {
        own++;
        assert.ok(
          needles.some((n) => text.includes(n)),
          `${format}: the app's own line is not selected: ${text}`,
        );
      } else
        assert.ok(
          !forTheApp.some((n) => text.includes(n)),
          `${format}: a line only naming the app is selected for it: ${text}`,
        );
    });
    assert.ok(own >= 1, format);
  }
});
