// Evidence a person reads: a journal JSON record becomes the line journalctl would print, a /dev/kmsg record the line
// dmesg would print; every other line is left as written. One function serves the report and the alerts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertText } from '../../src/alert/alert-text.js';
import type { IncidentAlert } from '../../src/alert/payload.js';
import { readableLine } from '../../src/report/readable-line.js';

const SHANGHAI = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().replace(/\.\d+Z$/, '+08:00');

// Shaped after `journalctl --output=json -u earlyoom.service` as pasted in rfjakob/earlyoom#218 (systemd 245).
const EARLYOOM =
  '{"__CURSOR":"s=ccf7523668294683b810e2ec1ec53163;i=62319b;b=3957642b91db46aeb6ea566e41d1e893;m=148a02268;t=5ab86c2406eb3;x=6a7802014e311f28","__REALTIME_TIMESTAMP":"1721700227523187","__MONOTONIC_TIMESTAMP":"5513421416","_BOOT_ID":"3957642b91db46aeb6ea566e41d1e893","PRIORITY":"6","_HOSTNAME":"VM-8-12-ubuntu","SYSLOG_FACILITY":"3","_SYSTEMD_SLICE":"system.slice","_TRANSPORT":"stdout","SYSLOG_IDENTIFIER":"earlyoom","_PID":"812","_UID":"61876","_GID":"61876","_COMM":"earlyoom","_EXE":"/usr/bin/earlyoom","_CMDLINE":"/usr/bin/earlyoom -r 3600","_SYSTEMD_CGROUP":"/system.slice/earlyoom.service","_SYSTEMD_UNIT":"earlyoom.service","MESSAGE":"sending SIGTERM to process 23456 uid 0 \\"anqicms\\": badness 880, VmRSS 3312 MiB"}';
const KERNEL =
  '{"_TRANSPORT":"kernel","SYSLOG_FACILITY":"0","__MONOTONIC_TIMESTAMP":"453116533","MESSAGE":"Out of memory: Killed process 23456 (anqicms) total-vm:4123456kB, anon-rss:3987652kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:8000kB oom_score_adj:0","SYSLOG_IDENTIFIER":"kernel","__REALTIME_TIMESTAMP":"1721700227000412","PRIORITY":"3","_SOURCE_MONOTONIC_TIMESTAMP":"283715000412","_HOSTNAME":"VM-8-12-ubuntu","_BOOT_ID":"66165ab1531d44038417129576ef7791"}';
const PID1 =
  '{"__REALTIME_TIMESTAMP":"1721700227400001","_BOOT_ID":"66165ab1531d44038417129576ef7791","_TRANSPORT":"journal","PRIORITY":"4","SYSLOG_IDENTIFIER":"systemd","_PID":"1","_COMM":"systemd","_SYSTEMD_UNIT":"init.scope","UNIT":"anqicms.service","_HOSTNAME":"VM-8-12-ubuntu","_SOURCE_REALTIME_TIMESTAMP":"1721700228399870","MESSAGE":"anqicms.service: Failed with result \'oom-kill\'."}';

test('a journal JSON record reads as journalctl -o with-unit prints it, in the report zone', () => {
  assert.equal(
    readableLine(EARLYOOM, SHANGHAI),
    '2024-07-23T10:03:47+08:00 VM-8-12-ubuntu earlyoom.service[812]: sending SIGTERM to process 23456 uid 0 "anqicms": badness 880, VmRSS 3312 MiB',
  );
  assert.equal(
    readableLine(KERNEL, SHANGHAI),
    '2024-07-23T10:03:47+08:00 VM-8-12-ubuntu kernel: Out of memory: Killed process 23456 (anqicms) total-vm:4123456kB, anon-rss:3987652kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:8000kB oom_score_adj:0',
  );
  // PID 1 speaks for many units: its own (init.scope) says nothing, the identifier does; the sender's time is shown.
  assert.equal(
    readableLine(PID1, SHANGHAI),
    "2024-07-23T10:03:48+08:00 VM-8-12-ubuntu systemd[1]: anqicms.service: Failed with result 'oom-kill'.",
  );
});

test('without a zone the time is left out; MESSAGE as bytes is decoded; json-seq and multi-line messages are read', () => {
  const bytes = [...Buffer.from('退出 terminated')];
  const app = JSON.stringify({
    __REALTIME_TIMESTAMP: '1721700228000000',
    _TRANSPORT: 'stdout',
    SYSLOG_IDENTIFIER: 'anqicms',
    _PID: '23456',
    _SYSTEMD_UNIT: 'anqicms.service',
    MESSAGE: bytes,
  });
  assert.equal(readableLine(app), 'anqicms.service[23456]: 退出 terminated');
  assert.equal(readableLine(`\x1e${app}`), 'anqicms.service[23456]: 退出 terminated');
  const trace = JSON.stringify({
    SYSLOG_IDENTIFIER: 'java',
    MESSAGE:
      'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space\n\tat Main.main(Main.java:5)',
  });
  assert.equal(
    readableLine(trace),
    'java: Exception in thread "main" java.lang.OutOfMemoryError: Java heap space at Main.main(Main.java:5)',
  );
});

test('a /dev/kmsg record reads as dmesg prints it; other lines and broken records are left as written', () => {
  assert.equal(
    readableLine('3,424,127553604,-;Memory cgroup out of memory: Killed process 2249 (anqicms)'),
    '[  127.553604] Memory cgroup out of memory: Killed process 2249 (anqicms)',
  );
  assert.equal(
    readableLine('6,2841,283715000412,-;oom-kill:constraint=CONSTRAINT_NONE,task=anqicms,pid=18734,uid=0'),
    '[283715.000412] oom-kill:constraint=CONSTRAINT_NONE,task=anqicms,pid=18734,uid=0',
  );
  const syslog =
    'Jul 23 10:03:47 VM-8-12-ubuntu kernel: [283715.000412] Out of memory: Killed process 18734 (anqicms)';
  assert.equal(readableLine(syslog), syslog);
  const cut =
    '{"__REALTIME_TIMESTAMP":"1721700227000412","_TRANSPORT":"kernel","MESSAGE":"Out of memory: Killed proc';
  assert.equal(readableLine(cut), cut, 'a record cut at the line cap is shown as it is');
});

test("an alert stored with a raw journal record shows its message, like the report's evidence", () => {
  const doc: IncidentAlert = {
    schema: 'oomsleuth.incident/1',
    id: '20240723T020347Z-anqicms-3f9a2c',
    host: 'VM-8-12-ubuntu',
    kind: 'app',
    app: 'anqicms',
    decisive: 0,
    incident: {
      process: 'anqicms',
      pid: 23456,
      diedAt: '2024-07-23T10:03:47+08:00',
      diedWithin: null,
      restartedAt: null,
      cause: 'oom-daemon',
      confidence: 'confirmed',
      oom: null,
      missing: [],
      evidence: [{ source: 'journal.json', line: 4, time: null, text: EARLYOOM, says: 'earlyoom killed it' }],
    },
  };
  assert.equal(
    alertText(doc, 'en').evidence,
    'VM-8-12-ubuntu earlyoom.service[812]: sending SIGTERM to process 23456 uid 0 "anqicms": badness 880, VmRSS 3312 MiB',
  );
});
