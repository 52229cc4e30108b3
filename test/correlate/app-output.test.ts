// The app's own output inside system logs (a unit's stdout in syslog and the journal) read as its log: its lives, its
// pids, its dying words; running.log and the journal carrying the same lines count once; a Java OutOfMemoryError the
// JVM lives through is no death.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ms, onlyDeath, readFolder } from './log-folder.js';

const at = (time: string) => ms(`2024-07-23T${time}+08:00`);

/** A journal JSON entry as `journalctl -o json` prints it for a unit's stdout (or for PID 1 when `ident` is systemd). */
function journal(
  time: string,
  ident: string,
  pid: number,
  message: string,
  unit: string | null = null,
): string {
  const us = String(at(time) * 1000);
  // Received stamps and the boot's monotonic clock agree, as they do on a real machine (booted 07-20 08:00).
  const monotonicUs = String((at(time) - ms('2024-07-20T08:00:00+08:00')) * 1000);
  return JSON.stringify({
    __REALTIME_TIMESTAMP: us,
    __MONOTONIC_TIMESTAMP: monotonicUs,
    _BOOT_ID: '9f3c1d2e4b5a46c7b8d9e0f1a2b3c4d5',
    _TRANSPORT: ident === 'systemd' ? 'journal' : 'stdout',
    PRIORITY: '6',
    SYSLOG_IDENTIFIER: ident,
    _PID: String(pid),
    _HOSTNAME: 'web1',
    ...(unit === null ? {} : { _SYSTEMD_UNIT: unit }),
    MESSAGE: message,
  });
}

test('a Go panic a unit wrote to syslog is a crash, confirmed, and the new pid is its restart', () => {
  const death = onlyDeath(
    {
      syslog: `
        Jul 23 10:01:12 web1 anqicms[1689]: 2024/07/23 10:01:12 /www/wwwroot/anqicms/
        Jul 23 10:01:13 web1 anqicms[1689]: Iris Version: 12.2.11
        Jul 23 10:02:40 web1 anqicms[1689]: 2024/07/23 10:02:40 采集完成: 新增 15 篇文章
        Jul 23 10:03:58 web1 anqicms[1689]: panic: runtime error: invalid memory address or nil pointer dereference
        Jul 23 10:03:58 web1 anqicms[1689]: [signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x1a3f4c5]
        Jul 23 10:03:58 web1 anqicms[1689]: goroutine 2817 [running]:
        Jul 23 10:03:58 web1 anqicms[1689]: #011/data/build/anqicms/provider/push.go:88 +0x45
        Jul 23 10:03:58 web1 systemd[1]: anqicms.service: Main process exited, code=exited, status=2/INVALIDARGUMENT
        Jul 23 10:03:58 web1 systemd[1]: anqicms.service: Failed with result 'exit-code'.
        Jul 23 10:04:03 web1 systemd[1]: anqicms.service: Scheduled restart job, restart counter is at 1.
        Jul 23 10:04:03 web1 systemd[1]: Started AnQiCMS.
        Jul 23 10:04:03 web1 anqicms[1720]: 2024/07/23 10:04:03 /www/wwwroot/anqicms/
      `,
    },
    { app: 'anqicms' },
  );
  assert.equal(death.verdict.cause, 'crash');
  assert.equal(death.verdict.confidence, 'confirmed');
  assert.equal(
    death.verdict.because[0]?.text.endsWith(
      'panic: runtime error: invalid memory address or nil pointer dereference',
    ),
    true,
  );
  assert.equal(death.diedAtMs, at('10:03:58'));
  assert.deepEqual(death.diedWithinMs, [at('10:02:40'), at('10:04:03')]);
  assert.equal(death.restartedAtMs, at('10:04:03'));
});

test('with no focus, the app lines in a system log are not read as anybody’s log', () => {
  const { findings } = readFolder({
    syslog: `
      Jul 23 10:03:58 web1 anqicms[1689]: panic: runtime error: invalid memory address or nil pointer dereference
      Jul 23 10:04:03 web1 anqicms[1720]: 2024/07/23 10:04:03 /www/wwwroot/anqicms/
    `,
  });
  assert.equal(findings.app, null);
  assert.deepEqual(findings.deaths, []);
});

test('a new pid is a new life even without a banner: the old one died between its last line and the first of the new', () => {
  const death = onlyDeath(
    {
      'journal.json': [
        journal('10:01:00', 'shopd', 2310, 'listening on :8080', 'shopd.service'),
        journal('10:02:10', 'shopd', 2310, 'GET /cart 200 12ms', 'shopd.service'),
        journal('10:03:30', 'shopd', 2310, 'GET /checkout 200 31ms', 'shopd.service'),
        journal('10:03:47', 'systemd', 1, 'shopd.service: Main process exited, code=killed, status=9/KILL'),
        journal('10:03:52', 'shopd', 2388, 'listening on :8080', 'shopd.service'),
        journal('10:04:30', 'shopd', 2388, 'GET /cart 200 9ms', 'shopd.service'),
      ],
    },
    { app: 'shopd' },
  );
  assert.deepEqual(death.diedWithinMs, [at('10:03:30'), at('10:03:52')]);
  assert.equal(death.restartedAtMs, at('10:03:52'));
});

test('two copies writing at once (interleaved pids) are not a death each time the pid changes', () => {
  const { findings } = readFolder(
    {
      syslog: `
        Jul 23 10:01:00 web1 shopd[2310]: GET /cart 200 12ms
        Jul 23 10:01:01 web1 shopd[2311]: GET /cart 200 10ms
        Jul 23 10:01:02 web1 shopd[2310]: GET /cart 200 11ms
        Jul 23 10:01:03 web1 shopd[2311]: GET /cart 200 13ms
      `,
    },
    { app: 'shopd' },
  );
  assert.deepEqual(findings.deaths, []);
});

test('running.log and the journal carrying the same lines tell one death, not two', () => {
  const running = [
    '2024/07/23 10:01:12 /www/wwwroot/anqicms/',
    'Iris Version: 12.2.11',
    '2024/07/23 10:02:40 采集完成: 新增 15 篇文章',
    'fatal error: runtime: out of memory',
    '',
    'goroutine 4127 [running]:',
    '2024/07/23 10:04:03 /www/wwwroot/anqicms/',
    'Iris Version: 12.2.11',
  ];
  const unit = 'anqicms.service';
  const { findings } = readFolder(
    {
      'running.log': running,
      'journal.json': [
        journal('10:01:12', 'anqicms', 1689, '2024/07/23 10:01:12 /www/wwwroot/anqicms/', unit),
        journal('10:01:13', 'anqicms', 1689, 'Iris Version: 12.2.11', unit),
        journal('10:02:40', 'anqicms', 1689, '2024/07/23 10:02:40 采集完成: 新增 15 篇文章', unit),
        journal('10:03:58', 'anqicms', 1689, 'fatal error: runtime: out of memory', unit),
        journal('10:03:58', 'anqicms', 1689, 'goroutine 4127 [running]:', unit),
        journal(
          '10:03:59',
          'systemd',
          1,
          'anqicms.service: Main process exited, code=exited, status=2/INVALIDARGUMENT',
        ),
        journal('10:04:03', 'anqicms', 1720, '2024/07/23 10:04:03 /www/wwwroot/anqicms/', unit),
        journal('10:04:03', 'anqicms', 1720, 'Iris Version: 12.2.11', unit),
      ],
    },
    { app: 'anqicms' },
  );
  assert.equal(findings.deaths.length, 1);
  assert.equal(findings.deaths[0]?.verdict.cause, 'runtime-oom');
  assert.equal(findings.deaths[0]?.restartedAtMs, at('10:04:03'));
});

test('a JVM that logs an OutOfMemoryError and goes on logging is alive: no death, and a note says so', () => {
  const { findings, sources } = readFolder(
    {
      syslog: `
        Jul 23 10:01:00 web1 broker[8166]: I/getAccounts: Received method call from UID [1000]
        Jul 23 10:02:30 web1 broker[8166]: Exception in thread "DBus Worker Thread-1" java.lang.OutOfMemoryError: Java heap space
        Jul 23 10:02:30 web1 broker[8166]: #011at java.base/java.util.Arrays.copyOf(Arrays.java:3537)
        Jul 23 10:02:30 web1 broker[8166]: #011at org.freedesktop.dbus.connections.AbstractConnection.handleMessage(AbstractConnection.java:1012)
        Jul 23 10:03:10 web1 broker[8166]: I/getAccounts: Received method call from UID [1000]
        Jul 23 10:05:40 web1 broker[8166]: I/getAccounts: Received method call from UID [1000]
      `,
    },
    { app: 'broker' },
  );
  assert.deepEqual(findings.deaths, []);
  const notes = sources.flatMap((s) => s.notes).filter((n) => n.includes('OutOfMemoryError'));
  assert.equal(notes.length, 1);
  assert.match(notes[0] ?? '', /went on running.*not a death/);
});

test('an OutOfMemoryError followed only by its report, then a new pid, is the death: runtime-oom', () => {
  const death = onlyDeath(
    {
      syslog: `
        Jul 23 10:01:00 web1 broker[8166]: I/getAccounts: Received method call from UID [1000]
        Jul 23 10:02:30 web1 broker[8166]: Exception in thread "main" java.lang.OutOfMemoryError: Java heap space
        Jul 23 10:02:30 web1 broker[8166]: #011at java.base/java.util.Arrays.copyOf(Arrays.java:3537)
        Jul 23 10:02:30 web1 broker[8166]: #011... 12 more
        Jul 23 10:02:31 web1 systemd[1]: broker.service: Main process exited, code=exited, status=1/FAILURE
        Jul 23 10:02:36 web1 broker[8240]: I/main: starting
      `,
    },
    { app: 'broker' },
  );
  assert.equal(death.verdict.cause, 'runtime-oom');
  assert.equal(death.restartedAtMs, at('10:02:36'));
});

test('syslog and a journal export of the same morning carry the same app lines: one death, not two', () => {
  const unit = 'anqicms.service';
  const { findings } = readFolder(
    {
      syslog: `
        Jul 23 10:01:12 web1 anqicms[1689]: 2024/07/23 10:01:12 /www/wwwroot/anqicms/
        Jul 23 10:01:13 web1 anqicms[1689]: Iris Version: 12.2.11
        Jul 23 10:03:30 web1 anqicms[1689]: 2024/07/23 10:03:30 采集完成: 新增 15 篇文章
        Jul 23 10:03:40 web1 anqicms[1689]: panic: assignment to entry in nil map
        Jul 23 10:03:40 web1 anqicms[1689]: goroutine 61 [running]:
        Jul 23 10:03:45 web1 anqicms[1720]: 2024/07/23 10:03:45 /www/wwwroot/anqicms/
        Jul 23 10:03:45 web1 anqicms[1720]: Iris Version: 12.2.11
      `,
      'journal.json': [
        journal('10:01:12', 'anqicms', 1689, '2024/07/23 10:01:12 /www/wwwroot/anqicms/', unit),
        journal('10:01:13', 'anqicms', 1689, 'Iris Version: 12.2.11', unit),
        journal('10:03:30', 'anqicms', 1689, '2024/07/23 10:03:30 采集完成: 新增 15 篇文章', unit),
        journal('10:03:40', 'anqicms', 1689, 'panic: assignment to entry in nil map', unit),
        journal('10:03:40', 'anqicms', 1689, 'goroutine 61 [running]:', unit),
        journal('10:03:45', 'anqicms', 1720, '2024/07/23 10:03:45 /www/wwwroot/anqicms/', unit),
        journal('10:03:45', 'anqicms', 1720, 'Iris Version: 12.2.11', unit),
      ],
    },
    { app: 'anqicms' },
  );
  assert.equal(findings.deaths.length, 1);
  assert.equal(findings.deaths[0]?.verdict.cause, 'crash');
  assert.equal(findings.deaths[0]?.pid, 1689);
});

test('a JVM that only closes down after its OutOfMemoryError (shutdown hooks) and is restarted died of it', () => {
  const unit = 'shop-sync.service';
  const death = onlyDeath(
    {
      'journal.json': [
        journal(
          '10:01:00',
          'java',
          2318,
          '2024-07-23 10:01:00.120  INFO 2318 --- [main] c.e.sync.SyncApplication : Started SyncApplication in 2.9 seconds (process running for 3.3)',
          unit,
        ),
        journal(
          '10:02:48',
          'java',
          2318,
          '2024-07-23 10:02:48.771 ERROR 2318 --- [main] o.s.boot.SpringApplication : Application run failed',
          unit,
        ),
        journal('10:02:48', 'java', 2318, 'java.lang.OutOfMemoryError: Java heap space', unit),
        journal(
          '10:02:48',
          'java',
          2318,
          '\tat com.example.sync.FeedReader.readAll(FeedReader.java:61)',
          unit,
        ),
        journal(
          '10:02:49',
          'java',
          2318,
          '2024-07-23 10:02:49.102  INFO 2318 --- [main] com.zaxxer.hikari.HikariDataSource : HikariPool-1 - Shutdown initiated...',
          unit,
        ),
        journal(
          '10:02:49',
          'java',
          2318,
          '2024-07-23 10:02:49.120  INFO 2318 --- [main] com.zaxxer.hikari.HikariDataSource : HikariPool-1 - Shutdown completed.',
          unit,
        ),
        journal(
          '10:02:49',
          'systemd',
          1,
          'shop-sync.service: Main process exited, code=exited, status=1/FAILURE',
        ),
        journal(
          '10:03:00',
          'java',
          2561,
          '2024-07-23 10:03:00.887  INFO 2561 --- [main] c.e.sync.SyncApplication : Starting SyncApplication v2.3.1 using Java 17.0.11 with PID 2561 (/opt/shop-sync/shop-sync.jar started by shopsync in /opt/shop-sync)',
          unit,
        ),
      ],
    },
    { app: 'shop-sync' },
  );
  assert.equal(death.verdict.cause, 'runtime-oom');
  assert.equal(death.pid, 2318);
  assert.equal(death.restartedAtMs, at('10:03:00'));
});

test('two copies writing in turn for a long time keep a bounded number of lines, and still no death', () => {
  const lines = Array.from({ length: 2000 }, (_, i) => {
    const s = String(i % 60).padStart(2, '0');
    const m = String(Math.floor(i / 60) % 60).padStart(2, '0');
    return `Jul 23 09:${m}:${s} web1 shopd[${i % 2 === 0 ? 2310 : 2311}]: GET /cart 200 ${i}ms`;
  });
  const { findings, sources } = readFolder({ syslog: lines }, { app: 'shopd' });
  assert.deepEqual(findings.deaths, []);
  assert.ok(sources[0]!.observations.length <= 6, `${sources[0]!.observations.length} observations kept`);
});

test("a life a banner began in running.log takes the pid the syslog shows later: no death at the pid's first line", () => {
  // The benchmark's app folder found this: syslog samples the app's lines sparsely, so the new pid first shows
  // minutes after running.log's banner began the life.
  const { findings } = readFolder(
    {
      'check.log': [
        '20240723 10:01:01 anqicms PID check: 1',
        '20240723 10:02:01 anqicms PID check: 1',
        '20240723 10:03:01 anqicms PID check: 1',
        '20240723 10:04:01 anqicms PID check: 0',
        '20240723 10:05:01 anqicms PID check: 1',
        '20240723 10:06:01 anqicms PID check: 1',
        '20240723 10:07:01 anqicms PID check: 1',
        '20240723 10:08:01 anqicms PID check: 1',
      ],
      'running.log': [
        '2024/07/23 10:00:01 /www/wwwroot/anqicms/',
        '2024/07/23 10:03:30 采集完成: 新增 4 篇文章',
        '2024/07/23 10:04:01 /www/wwwroot/anqicms/',
        '2024/07/23 10:06:10 推送百度: 成功 3 条',
        '2024/07/23 10:07:20 sitemap 生成完成，共 1313 条链接',
      ],
      syslog: [
        'Jul 23 10:02:00 web1 anqicms[2310]: 2024/07/23 10:02:00 采集任务开始: 关键词 SEO优化',
        'Jul 23 10:03:40 web1 kernel: [317431.263499] Out of memory: Killed process 2310 (anqicms) total-vm:3633494kB, anon-rss:3236965kB, file-rss:8157kB, shmem-rss:0kB, UID:0 pgtables:5685kB oom_score_adj:0',
        'Jul 23 10:06:10 web1 anqicms[4112]: 2024/07/23 10:06:10 推送百度: 成功 3 条',
        'Jul 23 10:08:30 web1 CRON[5120]: (root) CMD (/www/wwwroot/anqicms/start.sh)',
      ],
    },
    { app: 'anqicms' },
  );
  assert.deepEqual(
    findings.deaths.map((d) => [d.verdict.cause, d.pid]),
    [['oom-killer', 2310]],
  );
});
