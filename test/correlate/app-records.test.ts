// Which system-log records the app in focus wrote itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appRecordFilter } from '../../src/correlate/app-records.js';
import { sampleRecord } from '../../src/recognise/sample-record.js';

const rec = (ident: string | null, unit: string | null = null) =>
  sampleRecord('x', { ident, unit, pid: 1689 });

test("the app's own tag, identifier or unit marks its records", () => {
  const isApp = appRecordFilter('anqicms');
  assert.equal(isApp(rec('anqicms')), true);
  assert.equal(isApp(rec('java', 'anqicms.service')), true);
  assert.equal(isApp(rec('anqicms.service')), true, 'journalctl -o with-unit');
  assert.equal(isApp(rec('anqicms', 'session-3.scope')), true, 'systemd-cat -t anqicms from a shell');
});

test('the kernel, systemd, the OOM daemons and other programs are not the app, whatever unit they are in', () => {
  const isApp = appRecordFilter('anqicms');
  assert.equal(isApp(rec('kernel')), false);
  assert.equal(isApp(rec('systemd', 'init.scope')), false);
  assert.equal(isApp(rec('earlyoom')), false);
  assert.equal(isApp(rec('CRON', 'cron.service')), false);
  assert.equal(isApp(rec('nginx')), false);
  assert.equal(isApp(rec(null)), false);
  assert.equal(isApp(rec('anqicms-backup.service')), false);
});

test('names are compared as the kernel keeps them, 15 characters', () => {
  const isApp = appRecordFilter('microsoft-identity-device-broker');
  assert.equal(isApp(rec('microsoft-ident')), true);
  assert.equal(isApp(rec('microsoft-identity-device-broker')), true);
  assert.equal(isApp(rec('microsoft-edge')), false);
});
