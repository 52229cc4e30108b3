// The prefilter's needles: a system log's lines that the app wrote itself must be decoded once the app is known.
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
