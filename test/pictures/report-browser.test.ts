// The HTML report in a real browser: the example's timeline, deaths and task table render with no console error (a
// CSP violation would be one), the page asks the network for nothing, a hostile log line shows as text, the memory
// curve draws, and the page fits a phone.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { analyze } from '../../src/analyze/analyze.js';
import { readDeathExtras } from '../../src/analyze/death-extras.js';
import { loadChartAssets } from '../../src/pictures/chart-assets.js';
import { renderReportHtml } from '../../src/pictures/report-html.js';
import { collectErrors, launchChromium } from '../helpers/browser.js';
import { HOSTILE_TEXT, hostileAnalysis, hostileExtras } from './fixtures.js';

const example = fileURLToPath(new URL('../../examples/anqicms-vps', import.meta.url));

/** Serves fixed pages on the loopback; any other path is a 404 (and would be a request the test counts). */
async function pageServer(pages: Record<string, string>): Promise<{ server: Server; base: string }> {
  const server = createServer((request, response) => {
    const html = pages[request.url ?? ''];
    response.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('analyze --html in chromium', () => {
  let browser: Browser | null = null;
  let served: { server: Server; base: string } | null = null;

  before(async () => {
    const paths = [example];
    const analysis = await analyze({
      paths,
      app: null,
      zone: 'Asia/Shanghai',
      year: null,
      bootTimeMs: null,
      since: null,
      until: null,
    });
    const assets = await loadChartAssets();
    served = await pageServer({
      '/example.html': renderReportHtml(analysis, await readDeathExtras(analysis, paths), assets),
      '/hostile.html': renderReportHtml(hostileAnalysis(), [hostileExtras(), {}], assets),
    });
  });
  after(async () => {
    await browser?.close();
    served?.server.close();
  });

  async function open(
    t: TestContext,
    path: string,
    width = 1280,
  ): Promise<{ page: Page; errors: string[]; requests: string[] } | null> {
    browser ??= await launchChromium(t);
    if (browser === null) return null;
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const errors = collectErrors(page);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    // Anything but the page itself is refused before it leaves the browser (and counted above).
    const url = `${served!.base}${path}`;
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url);
    return { page, errors, requests };
  }

  test('the example: timeline, three deaths, the task table, no console error, no request but the page', async (t) => {
    const opened = await open(t, '/example.html');
    if (!opened) return;
    const { page, errors, requests } = opened;
    assert.equal(await page.locator('.timeline svg rect.mark').count(), 3);
    assert.ok((await page.locator('.timeline svg rect.life').count()) >= 2);
    assert.equal(await page.locator('section.death').count(), 3);
    assert.deepEqual(await page.locator('section.death .badge').allTextContents(), [
      'crash',
      'oom-killer',
      'stopped',
    ]);
    assert.equal(await page.locator('svg.tasks g.bar').count(), 12);
    assert.equal(await page.locator('svg.tasks g.bar.victim').count(), 1);
    assert.match(
      (await page.locator('#death-2 .evidence').textContent()) ?? '',
      /anqicms-vps\/syslog\.1:857/,
    );
    assert.match((await page.locator('table.sources').textContent()) ?? '', /year 2024 inferred/);
    // A death's mark opens its section.
    await page.locator('.timeline a.death-mark').nth(1).click();
    assert.match(page.url(), /#death-2$/);
    await page.waitForTimeout(100);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [`${served!.base}/example.html`]);
    await page.close();
  });

  test('a hostile log line shows as text; the diagnosis and the memory curve render', async (t) => {
    const opened = await open(t, '/hostile.html');
    if (!opened) return;
    const { page, errors, requests } = opened;
    assert.equal(await page.evaluate(() => (globalThis as { pwned?: number }).pwned), undefined);
    const line = await page.locator('#death-1 pre.line').first().textContent();
    assert.equal(line, HOSTILE_TEXT.replace(/\u001b/g, '\\x1b'));
    assert.equal(await page.locator('main img').count(), 0);
    assert.match(
      (await page.locator('#death-1 .diagnosis').textContent()) ?? '',
      /Memory grew steadily.*<b>not bold<\/b>/,
    );
    assert.equal(await page.locator('#death-1 .diagnosis .advice li').count(), 2);
    assert.equal(await page.locator('#death-1 .memory-chart canvas').count(), 1);
    assert.equal(await page.locator('#death-2 .memory-chart').count(), 0);
    assert.match(
      (await page.locator('svg.tasks').textContent()) ?? '',
      /<img src=x onerror=alert\(1\)> \(902\)/,
    );
    assert.equal(await page.locator('.timeline g.other-kill').count(), 1);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [`${served!.base}/hostile.html`]);
    await page.close();
  });

  test('at phone width nothing is wider than the screen; dark mode changes the colours', async (t) => {
    const opened = await open(t, '/example.html', 390);
    if (!opened) return;
    const { page, errors } = opened;
    assert.ok((await page.evaluate<number>('document.documentElement.scrollWidth')) <= 390);
    const light = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    assert.notEqual(light, dark);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
