// Forms operators paste that are not the C locale's or a whole file's: localised month names, journalctl without host
// names, dmesg -e and -T in other locales, dmesg without any time, and lines behind grep's file and line prefixes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectCarrier } from '../../src/framing/detect.js';
import { dmesgCtime } from '../../src/framing/dmesg.js';
import { dmesgNotime } from '../../src/framing/dmesg-notime.js';
import { dmesgReltime } from '../../src/framing/dmesg-reltime.js';
import { grepPrefixReadings } from '../../src/framing/grep-prefix.js';
import { journalShort, journalShortMonotonic } from '../../src/framing/journal-short.js';
import { monthFromName } from '../../src/framing/month-names.js';
import type { LogRecord } from '../../src/framing/record.js';
import { syslogRfc3164 } from '../../src/framing/syslog-rfc3164.js';
import { frameLines, frameOne } from './frame-lines.js';

// `LC_ALL=xx_XX.UTF-8 locale abmon` with glibc 2.36 (Debian 12), January to December.
const GLIBC_ABMON: Record<string, string> = {
  ru_RU: 'янв;фев;мар;апр;мая;июн;июл;авг;сен;окт;ноя;дек',
  zh_CN: '1月;2月;3月;4月;5月;6月;7月;8月;9月;10月;11月;12月',
  ja_JP: ' 1月; 2月; 3月; 4月; 5月; 6月; 7月; 8月; 9月;10月;11月;12月',
  ko_KR: ' 1월; 2월; 3월; 4월; 5월; 6월; 7월; 8월; 9월;10월;11월;12월',
  de_DE: 'Jan;Feb;Mär;Apr;Mai;Jun;Jul;Aug;Sep;Okt;Nov;Dez',
  fr_FR: 'janv.;févr.;mars;avril;mai;juin;juil.;août;sept.;oct.;nov.;déc.',
  es_ES: 'ene;feb;mar;abr;may;jun;jul;ago;sep;oct;nov;dic',
  pt_BR: 'jan;fev;mar;abr;mai;jun;jul;ago;set;out;nov;dez',
  it_IT: 'gen;feb;mar;apr;mag;giu;lug;ago;set;ott;nov;dic',
  pl_PL: 'sty;lut;mar;kwi;maj;cze;lip;sie;wrz;paź;lis;gru',
  uk_UA: 'січ;лют;бер;кві;тра;чер;лип;сер;вер;жов;лис;гру',
  cs_CZ: 'led;úno;bře;dub;kvě;čen;čec;srp;zář;říj;lis;pro',
  nl_NL: 'jan;feb;mrt;apr;mei;jun;jul;aug;sep;okt;nov;dec',
  tr_TR: 'Oca;Şub;Mar;Nis;May;Haz;Tem;Ağu;Eyl;Eki;Kas;Ara',
  ru_RU_nominative: 'янв;фев;мар;апр;май;июн;июл;авг;сен;окт;ноя;дек',
};

function localOf(record: LogRecord | null): {
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
} {
  assert.ok(record !== null);
  assert.equal(record.stamp.kind, 'local');
  if (record.stamp.kind !== 'local') throw new Error('unreachable');
  const { month, day, hour, minute, second } = record.stamp;
  return { month, day, hour, minute, second };
}

test('every month of every listed locale reads as its own number, in any case', () => {
  for (const [locale, list] of Object.entries(GLIBC_ABMON)) {
    list.split(';').forEach((word, index) => {
      assert.equal(monthFromName(word), index + 1, `${locale} ${word}`);
      assert.equal(monthFromName(word.toUpperCase()), index + 1, `${locale} ${word} upper case`);
    });
  }
  assert.equal(monthFromName('Brumaire'), null);
  assert.equal(monthFromName('13月'), null);
  assert.equal(monthFromName(''), null);
});

test('journalctl in other locales: ru, fr, zh and ja (month number padded with a space) stamps', () => {
  const lines = [
    'ноя 05 10:00:01 vps kernel: Out of memory: Killed process 2249 (anqicms)',
    'avril 16 21:08:50 systemd-oomd[93234]: Considered 97 cgroups for killing, top candidates were:',
    '5月 29 23:06:20 Analyse systemd-oomd[111564]: Considered 10 cgroups for killing',
    ' 5月 05 10:00:01 vps systemd[1]: anqicms.service: Main process exited, code=killed, status=9/KILL',
    'févr. 03 07:15:00 vps systemd[1]: Started anqicms.service.',
  ];
  const records = frameLines(journalShort, lines);
  assert.deepEqual(localOf(records[0]!), { month: 11, day: 5, hour: 10, minute: 0, second: 1 });
  assert.deepEqual(localOf(records[1]!), { month: 4, day: 16, hour: 21, minute: 8, second: 50 });
  assert.deepEqual(localOf(records[2]!), { month: 5, day: 29, hour: 23, minute: 6, second: 20 });
  assert.deepEqual(localOf(records[3]!), { month: 5, day: 5, hour: 10, minute: 0, second: 1 });
  assert.deepEqual(localOf(records[4]!), { month: 2, day: 3, hour: 7, minute: 15, second: 0 });
  assert.equal(records[3]?.ident, 'systemd');
  assert.equal(records[3]?.message, 'anqicms.service: Main process exited, code=killed, status=9/KILL');
  assert.equal(detectCarrier(lines, 'journal.txt')?.format, 'journal-short');
});

test('journalctl --no-hostname: the tag right after the time is a tag, not a host', () => {
  const oomd = frameOne(
    journalShort,
    'Nov 05 10:00:01 systemd-oomd[701]: Killed /system.slice/anqicms.service due to x',
  );
  assert.equal(oomd.host, null);
  assert.equal(oomd.ident, 'systemd-oomd');
  assert.equal(oomd.pid, 701);
  assert.equal(oomd.message, 'Killed /system.slice/anqicms.service due to x');
  const kernel = frameOne(
    journalShort,
    'Nov 05 10:00:01 kernel: oom-kill:constraint=CONSTRAINT_NONE,task=anqicms,pid=2249,uid=0',
  );
  assert.equal(kernel.ident, 'kernel');
  assert.equal(kernel.message, 'oom-kill:constraint=CONSTRAINT_NONE,task=anqicms,pid=2249,uid=0');
  const monotonic = frameOne(
    journalShortMonotonic,
    '[   77.749670] systemd-oomd[659]: Marked /system.slice/x.service for killing',
  );
  assert.equal(monotonic.ident, 'systemd-oomd');
  assert.equal(monotonic.monotonic, 77.74967);
  // A host is still a host, and a device prefix in the message is not a tag.
  const hosted = frameOne(syslogRfc3164, 'Jul 23 10:04:01 web1 kernel: usb 1-1: new high-speed USB device');
  assert.equal(hosted.host, 'web1');
  assert.equal(hosted.message, 'usb 1-1: new high-speed USB device');
  const lines = [
    'Nov 05 10:00:01 systemd[1]: Started anqicms.service - AnQiCMS.',
    'Nov 05 10:00:07 systemd-oomd[701]: Killed /system.slice/anqicms.service due to memory pressure',
    'Nov 05 10:00:07 kernel: Out of memory: Killed process 2249 (anqicms)',
  ];
  assert.equal(detectCarrier(lines, 'journal.txt')?.format, 'journal-short');
});

test('dmesg -T in the field orders of util-linux translations (de, fr, cs, pl) and other scripts', () => {
  const cases: [string, { month: number; day: number; hour: number }][] = [
    ['[Mi,  2. Dez 2026, 02:08:01] x', { month: 12, day: 2, hour: 2 }],
    ['[mer.  2 déc. 02:08:01 2026] x', { month: 12, day: 2, hour: 2 }],
    ['[mar. 14 avril 02:08:01 2026] x', { month: 4, day: 14, hour: 2 }],
    ['[St  2. pro 2026 02:08:01] x', { month: 12, day: 2, hour: 2 }],
    ['[śro  2 gru 02:08:01 2026] x', { month: 12, day: 2, hour: 2 }],
    ['[三 12月  2 02:08:01 2026] x', { month: 12, day: 2, hour: 2 }],
    ['[Çrş Ara  2 02:08:01 2026] x', { month: 12, day: 2, hour: 2 }],
  ];
  for (const [line, expected] of cases) {
    const record = frameOne(dmesgCtime, line);
    assert.equal(record.message, 'x', line);
    const { month, day, hour } = localOf(record);
    assert.deepEqual({ month, day, hour }, expected, line);
  }
});

test('dmesg -e: a minute line, then deltas added to it, in every locale and decimal mark', () => {
  const records = frameLines(dmesgReltime, [
    '[  +0.000100] before any minute line',
    '[Jul23 10:03] anqicms invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0',
    '[  +0.250000] CPU: 1 PID: 23471 Comm: anqicms',
    '[ +12,500000] Out of memory: Killed process 23471 (anqicms)',
    '[ 2. Dez 02:08] next minute',
    '[Jul 3 23:59] a day below ten',
    '[ +59.000000] a delta past the minute stays in it',
  ]);
  assert.equal(records[0]?.stamp.kind, 'none');
  assert.deepEqual(localOf(records[1]!), { month: 7, day: 23, hour: 10, minute: 3, second: 0 });
  const third = records[3]!;
  assert.ok(third.stamp.kind === 'local');
  if (third.stamp.kind === 'local') {
    assert.equal(third.stamp.second, 12);
    assert.ok(Math.abs(third.stamp.millis - 750) < 1e-6);
  }
  assert.equal(third.message, 'Out of memory: Killed process 23471 (anqicms)');
  assert.deepEqual(localOf(records[4]!), { month: 12, day: 2, hour: 2, minute: 8, second: 0 });
  assert.deepEqual(localOf(records[5]!), { month: 7, day: 3, hour: 23, minute: 59, second: 0 });
  assert.deepEqual(localOf(records[6]!), { month: 7, day: 3, hour: 23, minute: 59, second: 59 });
  const framer = dmesgReltime.createFramer(1);
  assert.match(framer.notes?.()[0] ?? '', /to the minute/);
});

test('dmesg without times: RHEL 6 kernel text is detected by its shapes, never in a file named like app output', () => {
  const rhel6 = [
    'Initializing cgroup subsys cpuset',
    'Linux version 2.6.32-754.35.1.el6.x86_64 (mockbuild@x86-01.bsys.centos.org) (gcc version 4.4.7 20120313 (Red Hat 4.4.7-23) (GCC) ) #1 SMP Wed Sep 16 06:48:01 UTC 2020',
    'Command line: ro root=/dev/mapper/vg_web1-lv_root rd_NO_LUKS LANG=en_US.UTF-8',
    'EXT4-fs (dm-0): mounted filesystem with ordered data mode. Opts: ',
    'anqicms invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0',
    'anqicms cpuset=/ mems_allowed=0',
    'Pid: 2249, comm: anqicms Not tainted 2.6.32-754.35.1.el6.x86_64 #1',
    'Call Trace:',
    ' [<ffffffff810d7151>] ? cpuset_print_task_mems_allowed+0x91/0xb0',
    ' [<ffffffff8112a950>] ? dump_header+0x90/0x1b0',
    'Mem-Info:',
    'Node 0 DMA per-cpu:',
    'active_anon:391207 inactive_anon:1093 isolated_anon:0',
    '[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name',
    '[ 2249]     0  2249   512394   391207   1       0             0 anqicms',
    'Out of memory: Kill process 2249 (anqicms) score 903 or sacrifice child',
    'Killed process 2249, UID 0, (anqicms) total-vm:2049576kB, anon-rss:1564800kB, file-rss:28kB',
  ];
  assert.equal(detectCarrier(rhel6, 'dmesg.txt')?.format, 'dmesg-notime');
  assert.equal(detectCarrier(rhel6, 'dmesg-20240723')?.format, 'dmesg-notime');
  assert.notEqual(detectCarrier(rhel6, 'nohup.out')?.format, 'dmesg-notime');
  // `Key: value` text has the kernel's subsystem-prefix shape and nothing else of the kernel: not kernel text.
  const robots = ['User-agent: *', 'Disallow: /system/', 'Sitemap: https://www.example.com/sitemap.xml'];
  assert.equal(detectCarrier(robots, 'robots.txt'), null);
  const boot = [
    'EXT4-fs (vda1): mounted filesystem with ordered data mode. Opts: ',
    'e1000: eth0 NIC Link is Up',
  ];
  assert.equal(
    detectCarrier([...boot, 'Linux version 2.6.32-754.el6.x86_64'], 'dmesg')?.format,
    'dmesg-notime',
  );
  const records = frameLines(dmesgNotime, rhel6);
  assert.ok(records.every((record) => record?.stamp.kind === 'none' && record.ident === 'kernel'));
  assert.equal(records[8]?.message, '[<ffffffff810d7151>] ? cpuset_print_task_mems_allowed+0x91/0xb0');
  assert.match(dmesgNotime.createFramer(1).notes?.()[0] ?? '', /no time/);
  // An app's own output stays app output.
  const goApp = [
    '2024/07/23 10:04:01 /www/wwwroot/anqicms/',
    'Iris Version: 12.2.11',
    'Now listening on: http://localhost:8001',
    'Application started. Press CTRL+C to shut down.',
    'panic: runtime error: invalid memory address or nil pointer dereference',
  ];
  assert.equal(detectCarrier(goApp, 'running.log')?.format, 'app-log');
});

test("grep's prefixes: every reading of a line, shortest first", () => {
  const readings = (text: string) => [...grepPrefixReadings(text)].map((r) => `${r.file ?? '-'}|${r.rest}`);
  assert.deepEqual(readings('/var/log/syslog:123:Jul 23 x')[1], '/var/log/syslog|Jul 23 x');
  assert.deepEqual(readings('123:Jul 23 x'), ['-|Jul 23 x']);
  assert.deepEqual(readings('messages-20240101:Jan  1 x').at(-1), 'messages-20240101|Jan  1 x');
  // Kernel text's own `EXT4-fs (…):` is no file name.
  assert.deepEqual(readings('EXT4-fs (dm-0): mounted'), []);
});

test('lines pasted out of grep -H, -n, -Hn and -C are framed by the carrier behind the prefix', () => {
  const pasted = [
    '/var/log/messages-20240721:Jul 20 23:59:01 web1 CRON[4711]: (root) CMD (/www/wwwroot/anqicms/start.sh)',
    '/var/log/messages:Jul 23 10:03:47 web1 kernel: anqicms invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0',
    '/var/log/messages-Jul 23 10:03:47 web1 kernel: anqicms cpuset=/ mems_allowed=0',
    '--',
    '/var/log/messages:Jul 23 10:03:47 web1 kernel: Killed process 23471 (anqicms), UID 0, total-vm:4123456kB, anon-rss:3987652kB, file-rss:0kB, shmem-rss:0kB',
  ];
  const carrier = detectCarrier(pasted, 'oom-paste.txt');
  assert.equal(carrier?.format, 'syslog-rfc3164');
  assert.ok(carrier !== null);
  const framer = carrier.createFramer(3);
  const records = pasted.map((text, index) => framer.frame({ sourceId: 3, lineNo: index + 1, text }));
  assert.equal(records[3], null, 'the group separator is no entry');
  assert.equal(records[1]?.ident, 'kernel');
  assert.equal(records[1]?.host, 'web1');
  assert.equal(records[2]?.message, 'anqicms cpuset=/ mems_allowed=0', 'a context line (`-`) too');
  assert.equal(records[4]?.text, pasted[4], 'the evidence keeps the whole line');
  assert.deepEqual(localOf(records[4]!), { month: 7, day: 23, hour: 10, minute: 3, second: 47 });
  assert.deepEqual(framer.notes?.(), [
    "grep's file-name prefixes were taken off its lines (from /var/log/messages-20240721, /var/log/messages)",
  ]);

  const numbered = [
    '4711:Jul 23 10:03:47 web1 kernel: anqicms invoked oom-killer: gfp_mask=0x201da, order=0',
    '4712-Jul 23 10:03:47 web1 kernel: anqicms cpuset=/ mems_allowed=0',
  ];
  const byNumber = detectCarrier(numbered, 'paste.txt');
  assert.equal(byNumber?.format, 'syslog-rfc3164');
  const numberFramer = byNumber!.createFramer(1);
  const second = numberFramer.frame({ sourceId: 1, lineNo: 2, text: numbered[1]! });
  assert.equal(second?.message, 'anqicms cpuset=/ mems_allowed=0');
  numberFramer.frame({ sourceId: 1, lineNo: 1, text: numbered[0]! });
  assert.deepEqual(numberFramer.notes?.(), ["grep's line numbers were taken off its lines"]);
});
