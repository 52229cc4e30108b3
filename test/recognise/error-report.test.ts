// Which app lines belong to a runtime's error report (and so say nothing of the process going on after it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isErrorReportLine } from '../../src/recognise/app.js';
import { recognise } from '../../src/recognise/index.js';
import { sampleRecord } from '../../src/recognise/sample-record.js';

test('stack frames, causes, exception headers and the JVM heap dump lines are report lines, in every carrier', () => {
  for (const line of [
    '\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)',
    '        at org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1791)',
    '#011at com.example.shop.CartService.load(CartService.java:88)', // rsyslog's escape for the tab
    '\t... 42 more',
    '\t... 87 common frames omitted',
    'Caused by: java.lang.OutOfMemoryError: Java heap space',
    '\tSuppressed: java.io.IOException: closed',
    'org.springframework.web.util.NestedServletException: Handler dispatch failed; nested exception is java.lang.OutOfMemoryError: Java heap space',
    'Dumping heap to /opt/halo/logs/java_pid23987.hprof ...',
    'Heap dump file created [536598422 bytes in 2.961 secs]',
    'Unable to create java_pid3469.hprof: Permission denied',
    '# java.lang.OutOfMemoryError: Java heap space',
    '#   Executing /bin/sh -c "kill -9 23987"...',
    'JVMDUMP039I Processing dump event "systhrow", detail "java/lang/OutOfMemoryError" at 2020/02/12 20:46:54 - please wait.',
  ]) {
    assert.equal(isErrorReportLine(line), true, line);
  }
});

test("the program's own lines are not report lines", () => {
  for (const line of [
    'INFO 23987 --- [oundedElastic-7] r.h.a.c.e.index.IndicesManager : Rebuilt index for posts.content.halo.run in 211ms',
    'I/getAccounts: [2025-04-25 20:02:56 - thread_id: 28] Received method call from UID [1000]',
    'Waiting for connection ...',
    'at the end of the queue: 3 jobs',
    '[GIN] 2024/07/23 - 10:04:01 | 200 |  1.2ms | 127.0.0.1 | GET "/"',
  ]) {
    assert.equal(isErrorReportLine(line), false, line);
  }
});

test('an app line says whether it is a report line', () => {
  const frame = recognise(sampleRecord('\tat com.example.Worker.run(Worker.java:12)'), 'app');
  assert.deepEqual(frame && frame.type === 'app.line' && frame.report, true);
  const own = recognise(sampleRecord('INFO [main] c.e.App - order 1187 saved'), 'app');
  assert.deepEqual(own && own.type === 'app.line' && own.report, false);
});
