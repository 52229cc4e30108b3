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

test('Java and other app stamps give their lines a time: local without an offset, an instant with one', () => {
  const local = (line: string) => {
    const record = frameOne(appLog, line);
    assert.equal(record.stamp.kind, 'local', line);
    return record;
  };
  const logback = local('2024-03-05 13:02:11,123 ERROR [main] c.e.App - boom');
  assert.deepEqual(logback.stamp, {
    kind: 'local',
    year: 2024,
    month: 3,
    day: 5,
    hour: 13,
    minute: 2,
    second: 11,
    millis: 123,
  });
  assert.equal(logback.message, 'ERROR [main] c.e.App - boom');
  assert.equal(
    local('2017-08-06 17:53:51.133:INFO:oejs.Server:main: jetty-9.4.6.v20170531').message,
    'INFO:oejs.Server:main: jetty-9.4.6.v20170531',
  );
  const tomcat = local('05-Mar-2024 13:02:11.123 INFO [main] org.apache.catalina.startup.Catalina.start x');
  assert.ok(tomcat.stamp.kind === 'local' && tomcat.stamp.month === 3 && tomcat.stamp.day === 5);
  assert.equal(
    local('28 Nov 2016 04:00:18,223 [main] INFO  (JettyStart.java [run]:139) - x').message.slice(0, 6),
    '[main]',
  );
  assert.equal(
    local('[2024-03-05 13:02:11,123] INFO started (kafka.server.KafkaServer)').message.slice(0, 4),
    'INFO',
  );
  assert.equal(
    local('2024/03/05 13:02:11 [error] 1187#1187: *5 connect() failed').message.slice(0, 7),
    '[error]',
  );

  const spring3 = frameOne(
    appLog,
    '2024-07-23T08:15:08.203+08:00  INFO 23987 --- [main] run.halo.app.Application : Started',
  );
  assert.deepEqual(spring3.stamp, { kind: 'instant', ms: Date.UTC(2024, 6, 23, 0, 15, 8, 203) });
  const logrus = frameOne(appLog, 'time="2015-04-28T11:39:36Z" level="info" msg="GET /v1.15/_ping"');
  assert.deepEqual(logrus.stamp, { kind: 'instant', ms: Date.UTC(2015, 3, 28, 11, 39, 36) });
  assert.equal(logrus.message, 'level="info" msg="GET /v1.15/_ping"');
});

test('a stamp-like start that is no real time stays an unstamped line', () => {
  for (const line of ['2024-13-05 13:02:11,123 x', '31-Foo-2024 13:02:11.123 x', '2024-03-05 25:02:11 x']) {
    const record = frameOne(appLog, line);
    assert.equal(record.stamp.kind, 'none', line);
    assert.equal(record.message, line);
  }
});
