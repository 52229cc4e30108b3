// URLs to send to and addresses to listen on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpUrl, listenAddress } from '../../src/options/network.js';

const webhookUrl = httpUrl('https://oapi.dingtalk.com/robot/send?access_token=…');

test('an http(s) URL with a host; a bad one is described without repeating it (it may hold a token)', async () => {
  const good = await webhookUrl('https://oapi.dingtalk.com/robot/send?access_token=SECRETTOKEN');
  assert.ok(good.ok && good.value.host === 'oapi.dingtalk.com');
  for (const [text, problem] of [
    ['not a url?access_token=SECRETTOKEN', /^is not a URL \(e\.g\. https:\/\/oapi\.dingtalk\.com/],
    ['ftp://h/SECRETTOKEN', /^uses ftp: only http and https are supported$/],
    ['http://:80/SECRETTOKEN', /./],
  ] as const) {
    const parsed = await webhookUrl(text);
    assert.equal(parsed.ok, false, text);
    const message = parsed.ok ? '' : parsed.problem;
    assert.match(message, problem);
    assert.doesNotMatch(message, /SECRETTOKEN/);
  }
});

test('a listen address: HOST:PORT, [IPv6]:PORT, or PORT alone on the loopback', async () => {
  assert.deepEqual(await listenAddress('9464'), { ok: true, value: { host: '127.0.0.1', port: 9464 } });
  assert.deepEqual(await listenAddress('0.0.0.0:9464'), { ok: true, value: { host: '0.0.0.0', port: 9464 } });
  assert.deepEqual(await listenAddress('[::1]:9464'), { ok: true, value: { host: '::1', port: 9464 } });
  for (const bad of ['http://x:1', '70000', 'host:', '']) {
    assert.deepEqual(await listenAddress(bad), {
      ok: false,
      problem: `${JSON.stringify(bad)} is not HOST:PORT or PORT (e.g. 127.0.0.1:9464)`,
    });
  }
});
