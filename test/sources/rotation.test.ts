// Rotation names and set order, and the "did you mean" name matcher.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { closestName } from '../../src/sources/near-name.js';
import { orderRotationSets, parseRotationName } from '../../src/sources/rotation.js';

describe('parseRotationName', () => {
  const cases: [string, string, boolean][] = [
    ['syslog', 'syslog', false],
    ['syslog.1', 'syslog', true],
    ['syslog.2.gz', 'syslog', true],
    ['kern.log', 'kern.log', false],
    ['kern.log.1', 'kern.log', true],
    ['dmesg.0', 'dmesg', true],
    ['messages-20240721', 'messages', true],
    ['messages-20240721.gz', 'messages', true],
    ['messages-2024-07-21', 'messages', true],
    ['access.log.20240721', 'access.log', true],
    ['messages-20240721-1721520000', 'messages', true],
    ['running.log', 'running.log', false],
    ['syslog.gz', 'syslog', false],
    ['check.log', 'check.log', false],
    ['report-20241399', 'report-20241399', false],
  ];
  for (const [name, base, rotated] of cases) {
    test(`${name} → ${base}${rotated ? ' (rotated)' : ''}`, () => {
      const parsed = parseRotationName(name);
      assert.deepEqual([parsed.base, parsed.rotated], [base, rotated]);
    });
  }
});

describe('orderRotationSets', () => {
  const item = (name: string, dir = '/l') => ({ dir, name });

  test('keeps sets where their first member was, each oldest first', () => {
    const ordered = orderRotationSets([
      item('a.log'),
      item('syslog'),
      item('syslog.1'),
      item('z.log'),
      item('syslog.3.gz'),
      item('syslog', '/other'),
    ]);
    assert.deepEqual(
      ordered.map((member) => [member.item.dir, member.item.name, member.index]),
      [
        ['/l', 'a.log', null],
        ['/l', 'syslog.3.gz', 2],
        ['/l', 'syslog.1', 1],
        ['/l', 'syslog', 0],
        ['/l', 'z.log', null],
        ['/other', 'syslog', null],
      ],
    );
  });

  test('dated names sort by date, with the sequence as tie-break', () => {
    const ordered = orderRotationSets([
      item('messages-20240721-2'),
      item('messages-20240721-1'),
      item('messages-20231231.gz'),
      item('messages'),
    ]);
    assert.deepEqual(
      ordered.map((member) => member.item.name),
      ['messages-20231231.gz', 'messages-20240721-1', 'messages-20240721-2', 'messages'],
    );
  });
});

describe('closestName', () => {
  const siblings = ['check.log', 'running.log', 'syslog', 'syslog.1', 'kern.log'];
  const cases: [string, string | null][] = [
    ['chek.log', 'check.log'],
    ['Check.log', 'check.log'],
    ['runnign.log', 'running.log'],
    ['sylog', 'syslog'],
    ['kernel.log', 'kern.log'],
    ['messages', null],
    ['zzz', null],
  ];
  for (const [typed, expected] of cases) {
    test(`${typed} → ${expected ?? 'nothing'}`, () => assert.equal(closestName(typed, siblings), expected));
  }
});
