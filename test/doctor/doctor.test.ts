// doctor against fake machines: each check ok, warn and (where it can) fail, from the files that decide it.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, describe, test } from 'node:test';
import type { Check, DoctorReport } from '../../src/doctor/check.js';
import { runDoctor } from '../../src/doctor/doctor.js';
import { guardianCheck } from '../../src/doctor/guardian.js';
import { lockName } from '../../src/guard/lock.js';
import { fakeRoot, type Tree } from './fake-root.js';
import { doctorSchemaErrors } from './schema.js';

const roots: string[] = [];
after(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

async function doctor(
  changes: Tree = {},
  options: { folder?: string | null; isRoot?: boolean } = {},
): Promise<DoctorReport> {
  const root = await fakeRoot(changes);
  roots.push(root);
  const report = await runDoctor({
    root,
    folder: options.folder === undefined ? '/srv/anqicms' : options.folder,
    isRoot: options.isRoot ?? false,
    host: 'test',
    nowMs: 0,
  });
  assert.deepEqual(doctorSchemaErrors(report), [], 'the report fits contract/doctor.schema.json');
  return report;
}

async function checkOf(
  id: string,
  changes: Tree = {},
  options: { folder?: string | null; isRoot?: boolean } = {},
): Promise<Check> {
  const found = (await doctor(changes, options)).checks.find((c) => c.id === id);
  assert.ok(found, `no check ${id}`);
  return found;
}

function expectStatus(check: Check, status: Check['status'], found?: RegExp, fix?: RegExp): void {
  assert.equal(check.status, status, `${check.id}: ${check.found}`);
  if (found) assert.match(check.found, found);
  if (fix) assert.match(check.fix ?? '', fix);
  if (status === 'ok') assert.equal(check.fix, null);
  else assert.ok(check.fix, `${check.id} ${status} has a fix`);
}

test('a healthy Debian server with a cron guardian: every check is ok', async () => {
  const report = await doctor();
  assert.deepEqual(
    report.checks.filter((c) => c.status !== 'ok').map((c) => `${c.id}: ${c.found}`),
    [],
  );
  assert.equal(report.app, 'anqicms');
  assert.deepEqual(report.summary, { ok: report.checks.length, warn: 0, fail: 0 });
  assert.deepEqual(
    report.checks.map((c) => c.id),
    [
      'journald',
      'syslog',
      'kernel-log-kept',
      'logrotate',
      'kernel.dmesg_restrict',
      'vm.oom_dump_tasks',
      'vm.panic_on_oom',
      'vm.overcommit_memory',
      'swap',
      'oom-daemons',
      'guardian',
      'headroom',
    ],
  );
});

test('without a folder there is no guardian check, and headroom is the machine alone', async () => {
  const report = await doctor({}, { folder: null });
  assert.equal(
    report.checks.some((c) => c.id === 'guardian'),
    false,
  );
  assert.equal(report.app, null);
  expectStatus(
    report.checks.find((c) => c.id === 'headroom')!,
    'ok',
    /^MemAvailable 1172 MiB of 1967 MiB \(60%\)$/,
  );
});

describe('journald', () => {
  test('ok: Storage=auto with /var/log/journal is persistent', async () => {
    expectStatus(await checkOf('journald'), 'ok', /Storage=auto .*persistent/);
  });
  test('warn: Storage=auto without /var/log/journal is volatile; the fix makes the folder', async () => {
    expectStatus(
      await checkOf('journald', { '/var/log/journal': undefined }),
      'warn',
      /kept in \/run only, lost at reboot \(\/var\/log\/journal does not exist\)/,
      /^mkdir -p \/var\/log\/journal/,
    );
  });
  test('warn: a drop-in sets Storage=volatile, overriding the main file', async () => {
    const check = await checkOf('journald', {
      '/etc/systemd/journald.conf': '[Journal]\nStorage=persistent\n',
      '/etc/systemd/journald.conf.d/10-ram.conf': '[Journal]\nStorage=volatile\n',
    });
    expectStatus(check, 'warn', /Storage=volatile \(journald.conf, 10-ram.conf\)/, /Storage=persistent/);
  });
  test('warn: Storage=none keeps nothing', async () => {
    expectStatus(
      await checkOf('journald', { '/etc/systemd/journald.conf': '[Journal]\nStorage=none\n' }),
      'warn',
      /keeps nothing/,
    );
  });
  test('warn: a persistent journal capped at 16M and 2 days', async () => {
    const check = await checkOf('journald', {
      '/etc/systemd/journald.conf.d/small.conf': '[Journal]\nSystemMaxUse=16M\nMaxRetentionSec=2d\n',
    });
    expectStatus(check, 'warn', /SystemMaxUse=16M, MaxRetentionSec=2 days/, /SystemMaxUse=500M/);
  });
  test('ok: caps of 1G and a month are enough', async () => {
    const check = await checkOf('journald', {
      '/etc/systemd/journald.conf': '[Journal]\nSystemMaxUse=1G\nMaxRetentionSec=1month\n',
    });
    expectStatus(check, 'ok', /SystemMaxUse=1024M, MaxRetentionSec=30\.4 days/);
  });
});

describe('syslog daemon', () => {
  test('ok: rsyslog runs and writes kern.* to kern.log and syslog', async () => {
    expectStatus(
      await checkOf('syslog'),
      'ok',
      /rsyslog runs; kernel messages go to \/var\/log\/syslog, \/var\/log\/kern.log/,
    );
  });
  test('ok: RHEL rules (*.info;mail.none… → messages) keep kern.err', async () => {
    const check = await checkOf('syslog', {
      '/etc/rsyslog.conf':
        'module(load="imjournal" StateFile="imjournal.state")\n*.info;mail.none;authpriv.none;cron.none                /var/log/messages\n#kern.*                                                 /dev/console\n',
    });
    expectStatus(check, 'ok', /go to \/var\/log\/messages$/);
  });
  test('ok: none installed, but the persistent journal keeps kernel messages', async () => {
    expectStatus(
      await checkOf('syslog', { '/etc/rsyslog.conf': undefined, '/proc/310/comm': undefined }),
      'ok',
      /neither rsyslog nor syslog-ng/,
    );
  });
  test('warn: none installed and the journal is volatile', async () => {
    const check = await checkOf('syslog', {
      '/etc/rsyslog.conf': undefined,
      '/proc/310/comm': undefined,
      '/var/log/journal': undefined,
    });
    expectStatus(check, 'warn', /neither rsyslog nor syslog-ng/, /apt-get install rsyslog/);
  });
  test('warn: installed but not running', async () => {
    expectStatus(
      await checkOf('syslog', { '/proc/310/comm': undefined }),
      'warn',
      /not running/,
      /systemctl enable --now rsyslog/,
    );
  });
  test('warn: no imklog, so the kernel never reaches rsyslog', async () => {
    const check = await checkOf('syslog', { '/etc/rsyslog.conf': DEBIAN_WITHOUT_IMKLOG });
    expectStatus(check, 'warn', /no imklog/, /module\(load="imklog"\)/);
  });
  test('warn: rules that keep no kernel message (kern.none, auth only)', async () => {
    const check = await checkOf('syslog', {
      '/etc/rsyslog.conf':
        'module(load="imklog")\n*.*;kern.none\t-/var/log/syslog\nauth,authpriv.*\t/var/log/auth.log\n',
    });
    expectStatus(check, 'warn', /no rule writes kernel messages/, /kern\.\* {2}-\/var\/log\/kern\.log/);
  });
  test('ok: syslog-ng with a system() source and a kern filter', async () => {
    const check = await checkOf('syslog', {
      '/etc/rsyslog.conf': undefined,
      '/proc/310/comm': 'syslog-ng\n',
      '/etc/syslog-ng/syslog-ng.conf':
        'source s_src { system(); internal(); };\nfilter f_kern { facility(kern) and not filter(f_debug); };\ndestination d_kern { file("/var/log/kern.log"); };\nlog { source(s_src); filter(f_kern); destination(d_kern); };\n',
    });
    expectStatus(check, 'ok', /syslog-ng runs; kernel messages go to \/var\/log\/kern.log/);
  });
});

const DEBIAN_WITHOUT_IMKLOG =
  'module(load="imuxsock")\n*.*;auth,authpriv.none\t-/var/log/syslog\nkern.*\t-/var/log/kern.log\n';

describe('kernel log kept', () => {
  test('ok: in the journal and in the syslog files', async () => {
    expectStatus(
      await checkOf('kernel-log-kept'),
      'ok',
      /persistent journal and \/var\/log\/syslog, \/var\/log\/kern.log/,
    );
  });
  test('fail: volatile journal and no syslog daemon — only the ring buffer', async () => {
    const check = await checkOf('kernel-log-kept', {
      '/var/log/journal': undefined,
      '/etc/rsyslog.conf': undefined,
      '/proc/310/comm': undefined,
    });
    expectStatus(check, 'fail', /only the ring buffer/, /mkdir -p \/var\/log\/journal/);
  });
  test('fail: Storage=volatile set in a drop-in — the fix is a drop-in of its own, not a folder', async () => {
    const check = await checkOf('kernel-log-kept', {
      '/etc/systemd/journald.conf.d/50-cloud.conf': '[Journal]\nStorage=volatile\n',
      '/etc/rsyslog.conf': undefined,
      '/proc/310/comm': undefined,
    });
    expectStatus(
      check,
      'fail',
      /only the ring buffer/,
      /^set Storage=persistent in \/etc\/systemd\/journald\.conf\.d\/oomsleuth\.conf/,
    );
  });
  test('fail: no journald and rsyslog without imklog', async () => {
    const check = await checkOf('kernel-log-kept', {
      '/etc/systemd/journald.conf': undefined,
      '/var/log/journal': undefined,
      '/etc/rsyslog.conf': DEBIAN_WITHOUT_IMKLOG,
    });
    expectStatus(check, 'fail', /ring buffer/, /rsyslog/);
  });
});

describe('log rotation', () => {
  test('ok: Debian keeps kern.log 4 weeks (rotate 4, weekly)', async () => {
    expectStatus(
      await checkOf('logrotate'),
      'ok',
      /\/var\/log\/kern.log: ~35 days \(rotate 4, weekly, \/etc\/logrotate.d\/rsyslog\)/,
    );
  });
  test('ok: RHEL blocks take rotate and weekly from logrotate.conf', async () => {
    const check = await checkOf('logrotate', {
      '/etc/rsyslog.conf':
        'module(load="imjournal")\n*.info;mail.none;authpriv.none;cron.none /var/log/messages\n',
      '/etc/logrotate.d/rsyslog': undefined,
      '/etc/logrotate.d/syslog':
        '/var/log/cron\n/var/log/maillog\n/var/log/messages\n/var/log/secure\n{\n    missingok\n    sharedscripts\n    postrotate\n        /usr/bin/systemctl -s HUP kill rsyslog.service >/dev/null 2>&1 || true\n    endscript\n}\n',
    });
    expectStatus(
      check,
      'ok',
      /\/var\/log\/messages: ~35 days \(rotate 4, weekly, \/etc\/logrotate.d\/syslog\)/,
    );
  });
  test('warn: rotate 2 daily keeps three days', async () => {
    const check = await checkOf('logrotate', {
      '/etc/logrotate.d/rsyslog': '/var/log/syslog /var/log/kern.log {\n  daily\n  rotate 2\n}\n',
    });
    expectStatus(check, 'warn', /~3 days/, /rotate 28/);
  });
  test('fail: rotate 0 daily keeps one day', async () => {
    const check = await checkOf('logrotate', {
      '/etc/logrotate.d/rsyslog': '/var/log/syslog\n/var/log/kern.log\n{\n  daily\n  rotate 0\n}\n',
    });
    expectStatus(check, 'fail', /~1 day /, /set `rotate 28`/);
  });
  test('warn: maxage 2 cuts a long rotation short', async () => {
    const check = await checkOf('logrotate', {
      '/etc/logrotate.d/rsyslog':
        '/var/log/syslog /var/log/kern.log {\n  daily\n  rotate 30\n  maxage 2\n}\n',
    });
    expectStatus(check, 'warn', /~3 days/);
  });
  test('ok: rotated by size only, the age is not known', async () => {
    const check = await checkOf('logrotate', {
      '/etc/logrotate.d/rsyslog': '/var/log/syslog /var/log/kern.log {\n  size 100M\n  rotate 5\n}\n',
    });
    expectStatus(check, 'ok', /rotated by size/);
  });
});

describe('kernel settings', () => {
  test('dmesg_restrict: 0 ok; 1 warn for a user; 1 ok for root', async () => {
    expectStatus(await checkOf('kernel.dmesg_restrict'), 'ok', /=0/);
    const restricted = { '/proc/sys/kernel/dmesg_restrict': '1\n' };
    expectStatus(
      await checkOf('kernel.dmesg_restrict', restricted),
      'warn',
      /only root/,
      /run oomsleuth as root/,
    );
    expectStatus(
      await checkOf('kernel.dmesg_restrict', restricted, { isRoot: true }),
      'ok',
      /runs as root here/,
    );
  });
  test('oom_dump_tasks: 1 ok; 0 warn with the sysctl line', async () => {
    expectStatus(await checkOf('vm.oom_dump_tasks'), 'ok');
    const check = await checkOf('vm.oom_dump_tasks', { '/proc/sys/vm/oom_dump_tasks': '0\n' });
    expectStatus(
      check,
      'warn',
      /no task table/,
      /sysctl -w vm\.oom_dump_tasks=1 && echo 'vm\.oom_dump_tasks = 1' > \/etc\/sysctl\.d\//,
    );
  });
  test('panic_on_oom: 0 ok; 1 and 2 fail', async () => {
    expectStatus(await checkOf('vm.panic_on_oom'), 'ok');
    expectStatus(
      await checkOf('vm.panic_on_oom', { '/proc/sys/vm/panic_on_oom': '1\n' }),
      'fail',
      /a global OOM panics/,
      /vm\.panic_on_oom=0/,
    );
    expectStatus(
      await checkOf('vm.panic_on_oom', { '/proc/sys/vm/panic_on_oom': '2\n' }),
      'fail',
      /memory cgroups included/,
    );
  });
  test('overcommit_memory: 0 ok; 1 and 2 warn', async () => {
    expectStatus(await checkOf('vm.overcommit_memory'), 'ok');
    expectStatus(
      await checkOf('vm.overcommit_memory', { '/proc/sys/vm/overcommit_memory': '1\n' }),
      'warn',
      /only brake/,
    );
    expectStatus(
      await checkOf('vm.overcommit_memory', { '/proc/sys/vm/overcommit_memory': '2\n' }),
      'warn',
      /runtime-oom/,
    );
  });
  test('a setting that cannot be read is a warning, not a guess', async () => {
    expectStatus(
      await checkOf('vm.oom_dump_tasks', { '/proc/sys/vm/oom_dump_tasks': undefined }),
      'warn',
      /cannot be read/,
    );
  });
});

describe('swap', () => {
  test('ok with a swap file; warn without', async () => {
    expectStatus(await checkOf('swap'), 'ok', /1 device\(s\), 1024 MiB, 0 MiB used/);
    const check = await checkOf('swap', {
      '/proc/swaps': 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n',
    });
    expectStatus(check, 'warn', /^no swap$/, /mkswap \/swapfile/);
  });
});

describe('OOM daemons', () => {
  test('ok: none', async () => {
    expectStatus(await checkOf('oom-daemons'), 'ok', /neither earlyoom nor systemd-oomd/);
  });
  test('ok: earlyoom runs and the persistent journal keeps its lines', async () => {
    expectStatus(
      await checkOf('oom-daemons', { '/proc/520/comm': 'earlyoom\n' }),
      'ok',
      /earlyoom runs; its lines are kept in the persistent journal/,
    );
  });
  test('ok: systemd-oomd installed but not running', async () => {
    expectStatus(
      await checkOf('oom-daemons', { '/usr/lib/systemd/systemd-oomd': '' }),
      'ok',
      /systemd-oomd \(installed, not running\)/,
    );
  });
  test('fail: earlyoom runs, the journal is volatile and syslog keeps only kern.log', async () => {
    const check = await checkOf('oom-daemons', {
      '/proc/520/comm': 'earlyoom\n',
      '/var/log/journal': undefined,
      '/etc/rsyslog.conf': 'module(load="imklog")\nkern.*\t-/var/log/kern.log\n',
    });
    expectStatus(check, 'fail', /kept nowhere/, /\/var\/log\/journal/);
  });
});

describe('guardian', () => {
  test('ok: a cron line runs start.sh from the folder', async () => {
    expectStatus(
      await checkOf('guardian'),
      'ok',
      /cron \(\/etc\/crontab\): \*\/1 \* \* \* \* root \/srv\/anqicms\/start\.sh/,
    );
  });
  test("ok: a user's crontab in /var/spool/cron/crontabs", async () => {
    const check = await checkOf('guardian', {
      '/etc/crontab': undefined,
      '/var/spool/cron/crontabs/www':
        '*/1 * * * * cd /srv/anqicms && ./check.sh >> /srv/anqicms/check.log 2>&1\n',
    });
    expectStatus(check, 'ok', /crontabs\/www/);
  });
  test('ok: oomsleuth guard runs (its pid file and a live pid)', async () => {
    const check = await checkOf('guardian', {
      '/etc/crontab': undefined,
      '/srv/anqicms/anqicms.guard.pid': '777\n',
      '/proc/777/stat': '777 (oomsleuth) S 1',
      '/proc/777/comm': 'node\n',
    });
    expectStatus(check, 'ok', /oomsleuth guard pid 777/);
  });
  test("ok: oomsleuth guard's lock is held (an abstract socket in /proc/net/unix), whatever the pid file says", async () => {
    const lock = lockName('/srv/anqicms/anqicms.guard.pid').slice(1);
    const check = await checkOf('guardian', {
      '/etc/crontab': undefined,
      '/srv/anqicms/anqicms.guard.pid': '999999\n',
      '/proc/net/unix': `Num       RefCount Protocol Flags    Type St Inode Path\n0000000000000000: 00000002 00000000 00010000 0001 01 4711 @${lock}\n`,
    });
    expectStatus(check, 'ok', /oomsleuth guard pid 999999/);
  });
  test('ok: a systemd unit with Restart=, OOMPolicy= and MemoryMax= (a drop-in adds the limit)', async () => {
    const check = await checkOf('guardian', {
      '/etc/crontab': undefined,
      '/etc/systemd/system/anqicms.service':
        '[Unit]\nDescription=AnQiCMS\n[Service]\nWorkingDirectory=/srv/anqicms\nExecStart=/srv/anqicms/anqicms\nRestart=on-failure\nOOMPolicy=continue\n',
      '/etc/systemd/system/anqicms.service.d/memory.conf': '[Service]\nMemoryMax=1G\n',
    });
    expectStatus(check, 'ok', /anqicms\.service: Restart=on-failure, OOMPolicy=continue, MemoryMax=1G/);
  });
  test('fail: a unit with no Restart= leaves the app dead', async () => {
    const check = await checkOf('guardian', {
      '/etc/crontab': undefined,
      '/etc/systemd/system/anqicms.service': '[Service]\nExecStart=/srv/anqicms/anqicms\n',
    });
    expectStatus(check, 'fail', /Restart=no: systemd leaves the app dead/, /systemctl edit anqicms\.service/);
  });
  test('warn: cron restarts it, but a stale guard pid file says a guard died', async () => {
    const check = await checkOf('guardian', { '/srv/anqicms/anqicms.guard.pid': '778\n' });
    expectStatus(check, 'warn', /names pid 778, which is not running/, /oomsleuth guard --daemon/);
  });
  test('fail: start.sh is there but nothing runs it; the fix is the crontab line', async () => {
    const check = await checkOf('guardian', {
      '/etc/crontab': 'SHELL=/bin/sh\n# */1 * * * * root /srv/anqicms/start.sh\n',
    });
    expectStatus(
      check,
      'fail',
      /nothing restarts anqicms.*start\.sh is there, but no crontab runs it/,
      /\*\/1 \* \* \* \* \/srv\/anqicms\/start\.sh/,
    );
  });
});

test('guardian: a crontab folder this user cannot read makes "none found" a warning, not a fail', () => {
  const facts = { cron: [], guards: [], units: [], scripts: ['start.sh'], unreadable: [] as string[] };
  expectStatus(guardianCheck(facts, '/srv/anqicms', 'anqicms'), 'fail', /nothing restarts anqicms/);
  const hidden = { ...facts, unreadable: ['/var/spool/cron/crontabs'] };
  expectStatus(
    guardianCheck(hidden, '/srv/anqicms', 'anqicms'),
    'warn',
    /no guardian found for \/srv\/anqicms \(start\.sh is there, but no crontab runs it\), but \/var\/spool\/cron\/crontabs cannot be read by this user/,
    /^sudo oomsleuth doctor \/srv\/anqicms$/,
  );
});

describe('headroom', () => {
  test("ok: plenty available, the app's RSS shown", async () => {
    expectStatus(
      await checkOf('headroom'),
      'ok',
      /MemAvailable 1172 MiB of 1967 MiB \(60%\); anqicms \(pid 4242\) uses 512 MiB/,
    );
  });
  test('warn: available is less than a quarter of the app', async () => {
    const check = await checkOf('headroom', {
      '/proc/meminfo': 'MemTotal:        2014000 kB\nMemAvailable:     400000 kB\n',
      '/proc/4242/status': 'VmRSS:\t 1700000 kB\n',
    });
    expectStatus(check, 'warn', /uses 1660 MiB/, /--memory-limit/);
  });
  test('fail: under 5% of memory left', async () => {
    const check = await checkOf('headroom', {
      '/proc/meminfo': 'MemTotal:        2014000 kB\nMemAvailable:      60000 kB\n',
    });
    expectStatus(check, 'fail', /\(3%\)/);
  });
  test("the guard's child is the app, whatever its name", async () => {
    const check = await checkOf('headroom', {
      '/srv/anqicms/anqicms.guard.pid': '777\n',
      '/srv/anqicms/anqicms.guard.pid.child': '{"guardPid":777,"childPid":900}\n',
      '/proc/777/stat': '777 (node) S 1',
      '/proc/900/status': 'VmRSS:\t 102400 kB\n',
      '/proc/4242/comm': undefined,
    });
    expectStatus(check, 'ok', /pid 900\) uses 100 MiB/);
  });
  test('the app not running is said', async () => {
    expectStatus(await checkOf('headroom', { '/proc/4242/comm': undefined }), 'ok', /anqicms is not running/);
  });
});
