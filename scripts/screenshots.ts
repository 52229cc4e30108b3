// `npm run screenshots`: the HTML report of examples/anqicms-vps, photographed at desktop (1280 px) and phone (390 px)
// width into docs/ for the README. Drives Debian's chromium (/usr/bin/chromium, or OOMSLEUTH_CHROMIUM) with
// playwright-core; never downloads a browser.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { analyze } from '../src/analyze/analyze.js';
import { readDeathExtras } from '../src/analyze/death-extras.js';
import { loadChartAssets } from '../src/pictures/chart-assets.js';
import { renderReportHtml } from '../src/pictures/report-html.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const example = join(root, 'examples/anqicms-vps');
const paths = [example];
const analysis = await analyze({
  paths,
  app: null,
  zone: 'Asia/Shanghai',
  year: null,
  bootTimeMs: null,
  since: null,
  until: null,
  // A fixed "generated" time: the picture changes only when the report does.
  nowMs: Date.parse('2024-07-24T09:00:00+08:00'),
});
const html = renderReportHtml(analysis, await readDeathExtras(analysis, paths), await loadChartAssets());
const dir = await mkdtemp(join(tmpdir(), 'oomsleuth-shots-'));
const browser = await chromium.launch({
  executablePath: process.env.OOMSLEUTH_CHROMIUM ?? '/usr/bin/chromium',
});
try {
  const file = join(dir, 'report.html');
  await writeFile(file, html);
  for (const [name, width] of [
    ['report-desktop.png', 1280],
    ['report-phone.png', 390],
  ] as const) {
    const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: 'light' });
    await page.goto(`file://${file}`);
    await page.screenshot({ path: join(root, 'docs', name), fullPage: true });
    await page.close();
    process.stdout.write(`docs/${name}\n`);
  }
} finally {
  await browser.close();
  await rm(dir, { recursive: true, force: true });
}
