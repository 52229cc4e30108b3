// Case E's own files, from the same story as case A's syslog: the guardian's check.log (start.sh's line every
// minute, 0 at the run that found the app gone) and the app's running.log (AnQiCMS's stdout: Go `log` lines and
// GORM's two-line slow-query notes; at each planted kill it stops dead, and the next instance's startup banner
// follows at the guardian's next run — log-formats §6.2).
import type { Random } from './random.js';
import { ChunkedWriter, type Sink } from './sink.js';
import { dayPartBytes, HMS_TABLE, hmsOffset } from './stamp-bytes.js';
import { goLogStamper } from './stamp-text.js';
import { APP_NAME, type Story } from './story.js';
import { BASELINE_PATTERN, type WrittenText } from './syslog-writer.js';

const MINUTE = 60_000;
const APP_DIR = '/www/wwwroot/anqicms/';

/** One line a minute at :01 over the whole span: `20240723 10:04:01 anqicms PID check: 1`. */
export async function writeCheckLog(story: Story, sinks: Sink[]): Promise<WrittenText> {
  const restarts = new Set(story.kills.filter((k) => k.process === APP_NAME).map((k) => k.restartAtMs));
  const day = dayPartBytes('check');
  const alive = Buffer.from(` ${APP_NAME} PID check: 1\n`, 'latin1');
  const dead = Buffer.from(` ${APP_NAME} PID check: 0\n`, 'latin1');
  const writer = new ChunkedWriter(sinks);
  let lines = 0;
  let lastMs = story.startMs;
  for (let t = Math.ceil((story.startMs - 1000) / MINUTE) * MINUTE + 1000; t <= story.endMs; t += MINUTE) {
    const dayBytes = day(t);
    const hms = hmsOffset(t);
    writer.addBytes(dayBytes);
    writer.reserve(8);
    writer.commit(writer.position + HMS_TABLE.copy(writer.current, writer.position, hms, hms + 8));
    writer.addBytes(restarts.has(t) ? dead : alive);
    lines++;
    lastMs = t;
    if (writer.full) await writer.flush();
  }
  const bytes = await writer.close();
  return { parts: [{ bytes, lines, lastMs }], lines, baselineMatches: 0 };
}

/** What AnQiCMS prints while it runs; each entry is the text after the Go log prefix (may span lines). */
const ACTIVITY: ReadonlyArray<(r: Random) => string> = [
  (r) => `sitemap 生成完成，共 ${r.int(1100, 1400)} 条链接`,
  (r) =>
    `采集任务开始: 关键词 ${r.pick(['云服务器', '网站建设', '企业官网', 'SEO优化', 'meeting room', 'zoom background'])}`,
  (r) => `采集完成: 新增 ${r.int(1, 18)} 篇文章`,
  (r) => `推送百度: 成功 ${r.int(1, 9)} 条`,
  (r) => `自动发布文章: ${r.int(1, 4)} 篇`,
  () => '重载模板: template/default/showroom/index.html',
  (r) => `缓存已更新: /article/zoom-meeting-room-booking.html (${r.int(2, 90)}ms)`,
  (r) => `缩略图生成: /uploads/202407/bloom-banner-${r.int(100, 999)}.webp`,
  (r) =>
    `/data/build/anqicms/provider/archive.go:${r.int(90, 700)} SLOW SQL >= 200ms\n[${r.int(200, 900)}.${r.int(100, 999)}ms] [rows:${r.int(1, 40)}] SELECT * FROM \`archives\` WHERE \`status\` = 1 AND \`category_id\` IN (${r.int(1, 9)},${r.int(10, 30)}) ORDER BY id desc LIMIT ${r.pick([10, 20, 50])}`,
  (r) =>
    `/data/build/anqicms/provider/tag.go:${r.int(40, 300)} record not found\n[${r.int(0, 2)}.${r.int(100, 999)}ms] [rows:0] SELECT * FROM \`tags\` WHERE \`url_token\` = '${r.pick(['bloom', 'zoom', 'showroom', 'vps', 'seo'])}' ORDER BY \`tags\`.\`id\` LIMIT 1`,
  (r) =>
    `GET /article/${r.pick(['1723', '2291', 'zoom-meeting-room-booking', 'mushroom-farming-guide', 'seo-guide'])}.html ${r.pick([200, 200, 200, 404])} ${r.int(1, 80)}.${r.int(100, 999)}ms ${r.pick(['66.249.66.1', '220.181.108.91', '116.179.32.160'])}`,
];

/** The startup banner of one instance (log-formats §6.2): exec path, Iris banner, listen lines, browser hint. */
function startup(goStamp: (ms: number) => string, t: number): string {
  return `${goStamp(t)} ${APP_DIR}\nIris Version: 12.2.11\n\nNow listening on: http://localhost:8001\nApplication started. Press CTRL+C to shut down.\n${goStamp(t + 1000)} 请手动在浏览器输入访问地址： http://127.0.0.1:8001\n`;
}

/**
 * `targetBytes` of running.log over the story's span. Time follows the bytes written, skipping each death window:
 * the last line before a kill is the cliff, the next is the new instance's banner at the guardian's restart.
 */
export async function writeRunningLog(
  story: Story,
  random: Random,
  sinks: Sink[],
  targetBytes: number,
): Promise<WrittenText> {
  const pool = Array.from({ length: 4096 }, () => Buffer.from(` ${random.pick(ACTIVITY)(random)}\n`, 'utf8'));
  const poolMatches = pool.map(
    (line) =>
      line
        .toString('utf8')
        .split('\n')
        .filter((l) => BASELINE_PATTERN.test(l)).length,
  );
  const poolLines = pool.map((line) => line.toString('utf8').split('\n').length - 1);
  const deaths = story.kills.filter((k) => k.process === APP_NAME);
  const go = goLogStamper();
  const day = dayPartBytes('go');
  const span = story.endMs - story.startMs;
  const writer = new ChunkedWriter(sinks);
  let nextDeath = 0;
  let shift = 0;
  let lines = 0;
  let matches = 0;
  let lastMs = story.startMs;
  writer.add(startup(go, story.startMs));
  lines += 6;
  for (;;) {
    let t = Math.max(story.startMs + (span * writer.bytes) / targetBytes + shift, lastMs);
    const death = deaths[nextDeath];
    if (death !== undefined && t >= death.atUs / 1000) {
      // killed: not a word until the guardian starts the next instance
      shift += death.restartAtMs - t;
      t = death.restartAtMs;
      writer.add(startup(go, t));
      lines += 6;
      lastMs = t + 1000;
      nextDeath++;
      continue;
    }
    if (t >= story.endMs) break;
    const index = Math.floor(random.float() * pool.length);
    const body = pool[index]!;
    const dayBytes = day(t);
    const hms = hmsOffset(t);
    writer.reserve(dayBytes.length + 8 + body.length);
    const out = writer.current;
    let at = writer.position;
    out.set(dayBytes, at);
    at += dayBytes.length;
    at += HMS_TABLE.copy(out, at, hms, hms + 8);
    out.set(body, at);
    writer.commit(at + body.length);
    lines += poolLines[index]!;
    matches += poolMatches[index]!;
    lastMs = t;
    if (writer.full) await writer.flush();
  }
  const bytes = await writer.close();
  return { parts: [{ bytes, lines, lastMs }], lines, baselineMatches: matches };
}
