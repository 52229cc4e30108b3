// Ordinary server traffic, one log event per call: nginx, sshd, systemd, mysqld, UFW, the app, dhclient. About a
// sixth of it carries "oom" inside other words (room, zoom, bloom, broom, mushroom) or in URLs, the lines an
// `grep -i oom` counts and a correct analyzer must pass over. Shared by the syslog and journal writers.
import type { Random } from './random.js';
import { goLogStamper, mysqlStamp, nginxStamper } from './stamp-text.js';
import { APP_NAME, createPidCursor, type Story } from './story.js';

/** How the line reached the log: decides the journal fields; syslog only needs ident and pid. */
export type Transport = 'kernel' | 'syslog' | 'stdout' | 'journal';

export interface LogEvent {
  /** Wall time in ms since the epoch (fractions allowed). */
  readonly ms: number;
  readonly ident: string;
  /** Shown as `ident[pid]:` in syslog; null for the kernel and for nginx's own syslog tag. */
  readonly pid: number | null;
  readonly message: string;
  readonly priority: number;
  readonly transport: Transport;
  /** Kernel records: printk time (µs since boot); others: 0 (the writer derives it). */
  readonly monoUs: number;
}

const PLAIN_PATHS = [
  '/',
  '/index.html',
  '/article/1723.html',
  '/article/2291.html',
  '/article/3310.html',
  '/category/news',
  '/category/products?page=3',
  '/static/css/main.css?v=20240701',
  '/static/js/app.js?v=20240701',
  '/uploads/202407/logo.png',
  '/sitemap.xml',
  '/robots.txt',
  '/api/comment/list?id=1723',
  '/tag/cloud-server',
  '/search?q=vps',
  '/favicon.ico',
  '/article/seo-guide.html',
  '/page/about-us',
  '/page/contact',
  '/wp-login.php',
];
/** Paths with "oom" inside other words: hotel rooms, zoom calls, flower blooms, a search for the real thing. */
export const OOM_WORD_PATHS = [
  '/article/zoom-meeting-room-booking.html',
  '/tag/bloom',
  '/uploads/bloom-banner.png',
  '/showroom/',
  '/showroom/zoom.js',
  '/category/bedroom-ideas',
  '/article/mushroom-farming-guide.html',
  '/article/classroom-projector-review.html',
  '/article/broom-and-mop-sets.html',
  '/gallery/bloom-festival-2024?page=2',
  '/search?q=oom+killer+out+of+memory',
  '/article/why-was-my-process-killed-process-list.html',
];
const AGENTS = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'curl/8.5.0',
];
const REFERRERS = [
  '-',
  '-',
  'https://www.example.com/',
  'https://www.google.com/',
  'https://www.baidu.com/',
  'https://www.example.com/tag/bloom',
];
const CLIENTS = [
  '66.249.66.1',
  '220.181.108.91',
  '116.179.32.160',
  '40.77.167.5',
  '203.0.113.54',
  '36.110.11.5',
];
const SCANNERS = ['185.220.101.34', '45.148.10.192', '218.92.0.112', '61.177.172.140', '80.66.83.44'];
const SSH_USERS = [
  'admin',
  'oracle',
  'test',
  'ubuntu',
  'git',
  'postgres',
  'bloom',
  'zoom',
  'ftpuser',
  'guest',
];
const STATUS = ['200', '200', '200', '200', '200', '304', '301', '404'];
const APP_JOBS = [
  (r: Random) => `sitemap 生成完成，共 ${r.int(1100, 1400)} 条链接`,
  (r: Random) =>
    `采集任务开始: 关键词 ${r.pick(['云服务器', '网站建设', '企业官网', 'SEO优化', 'meeting room'])}`,
  (r: Random) => `采集完成: 新增 ${r.int(1, 18)} 篇文章`,
  (r: Random) => `推送百度: 成功 ${r.int(1, 9)} 条`,
  () => '模板已重载: template/default/showroom/index.html',
  (r: Random) => `缓存已更新: /article/zoom-meeting-room-booking.html (${r.int(2, 90)}ms)`,
];
const SYSTEMD_UNITS = [
  ['sysstat-collect.service', 'system activity accounting tool'],
  ['phpsessionclean.service', 'Clean php session files'],
  ['certbot.service', 'Certbot'],
  ['apt-daily.service', 'Daily apt download activities'],
  ['man-db.service', 'Daily man-db regeneration'],
] as const;

/** A traffic source: call it with non-decreasing times. */
export function createTraffic(random: Random, story: Story): (ms: number) => LogEvent {
  const appPidAt = createPidCursor(story.appLives);
  const mysqlPidAt = createPidCursor(story.mysqlLives);
  const go = goLogStamper();
  const nginxTime = nginxStamper();
  let session = 2800;
  const ev = (
    ms: number,
    ident: string,
    pid: number | null,
    message: string,
    priority: number,
    transport: Transport,
  ): LogEvent => ({ ms, ident, pid, message, priority, transport, monoUs: 0 });

  const path = (): string => (random.float() < 0.3 ? random.pick(OOM_WORD_PATHS) : random.pick(PLAIN_PATHS));
  const worker = (): number => (random.float() < 0.5 ? 1023 : 1024);

  const nginxError = (ms: number): LogEvent => {
    const p = path();
    const client = random.pick(CLIENTS);
    const head = `${go(ms)} [error] ${worker()}#${worker()}: *${random.int(100_000, 999_999)} `;
    const tail = `client: ${client}, server: www.example.com, request: "GET ${p} HTTP/1.1"`;
    return ev(
      ms,
      'nginx',
      null,
      random.float() < 0.5
        ? `${head}upstream timed out (110: Connection timed out) while reading response header from upstream, ${tail}, upstream: "http://127.0.0.1:8001${p}", host: "www.example.com"`
        : `${head}open() "/www/wwwroot/anqicms/public${p}" failed (2: No such file or directory), ${tail}, host: "www.example.com"`,
      3,
      'syslog',
    );
  };

  return (ms) => {
    const roll = random.float() * 100;
    if (roll < 44) {
      const message = `${random.pick(CLIENTS)} - - [${nginxTime(ms)}] "GET ${path()} HTTP/1.1" ${random.pick(STATUS)} ${random.int(180, 48_000)} "${random.pick(REFERRERS)}" "${random.pick(AGENTS)}"`;
      return ev(ms, 'nginx', null, message, 6, 'syslog');
    }
    if (roll < 47) return nginxError(ms);
    if (roll < 59) {
      const pid = random.int(20_000, 65_000);
      const ip = random.pick(SCANNERS);
      const port = random.int(30_000, 65_000);
      const user = random.pick(SSH_USERS);
      const kind = random.int(0, 3);
      const message =
        kind === 0
          ? `Invalid user ${user} from ${ip} port ${port}`
          : kind === 1
            ? `Connection closed by invalid user ${user} ${ip} port ${port} [preauth]`
            : kind === 2
              ? `Disconnected from authenticating user root ${ip} port ${port} [preauth]`
              : `Received disconnect from ${ip} port ${port}:11: Bye Bye [preauth]`;
      return ev(ms, 'sshd', pid, message, 6, 'syslog');
    }
    if (roll < 67) {
      const [unit, what] = random.pick(SYSTEMD_UNITS);
      const kind = random.int(0, 4);
      const message =
        kind === 0
          ? `Starting ${unit} - ${what}...`
          : kind === 1
            ? `${unit}: Deactivated successfully.`
            : kind === 2
              ? `Finished ${unit} - ${what}.`
              : kind === 3
                ? `Started session-${++session}.scope - Session ${session} of User deploy.`
                : `session-${session}.scope: Deactivated successfully.`;
      return ev(ms, 'systemd', 1, message, 6, 'journal');
    }
    if (roll < 70) {
      const kind = random.int(0, 2);
      const message =
        kind === 0
          ? `New session ${session} of user deploy.`
          : kind === 1
            ? `Session ${session} logged out. Waiting for processes to exit.`
            : `Removed session ${session}.`;
      return ev(ms, 'systemd-logind', 735, message, 6, 'journal');
    }
    if (roll < 77) {
      const mysqlPid = mysqlPidAt(ms);
      if (mysqlPid === null) return nginxError(ms);
      const id = random.int(4000, 90_000);
      const stamp = mysqlStamp(ms, random.int(0, 999_999));
      const kind = random.int(0, 2);
      const message =
        kind === 0
          ? `${stamp} ${id} [Note] [MY-010914] [Server] Aborted connection ${id} to db: 'anqicms' user: 'anqicms' host: 'localhost' (Got an error reading communication packets).`
          : kind === 1
            ? `${stamp} 0 [Warning] [MY-010055] [Server] IP address '${random.pick(SCANNERS)}' could not be resolved: Name or service not known`
            : `${stamp} ${id} [Note] [MY-010926] [Server] Access denied for user 'root'@'${random.pick(SCANNERS)}' (using password: YES)`;
      return ev(ms, 'mysqld', mysqlPid, message, kind === 1 ? 4 : 5, 'stdout');
    }
    if (roll < 87) {
      const message = `[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:8e:1a:2b:fe:ee:0b:cb:66:71:08:00 SRC=${random.pick(SCANNERS)} DST=10.0.8.12 LEN=40 TOS=0x00 PREC=0x00 TTL=${random.int(230, 250)} ID=${random.int(1000, 65_000)} PROTO=TCP SPT=${random.int(1024, 65_000)} DPT=${random.pick([23, 3389, 6379, 5432, 8080])} WINDOW=1024 RES=0x00 SYN URGP=0`;
      return { ms, ident: 'kernel', pid: null, message, priority: 4, transport: 'kernel', monoUs: 0 };
    }
    if (roll < 97) {
      const appPid = appPidAt(ms);
      if (appPid === null) return upstreamRefused(random, go, ms);
      return ev(ms, APP_NAME, appPid, `${go(ms)} ${random.pick(APP_JOBS)(random)}`, 6, 'syslog');
    }
    const kind = random.int(0, 2);
    const message =
      kind === 0
        ? 'DHCPREQUEST for 10.0.8.12 on eth0 to 10.0.8.1 port 67'
        : kind === 1
          ? 'DHCPACK of 10.0.8.12 from 10.0.8.1'
          : `bound to 10.0.8.12 -- renewal in ${random.int(1200, 1800)} seconds.`;
    return ev(ms, 'dhclient', 612, message, 6, 'syslog');
  };
}

/** nginx while the app is down: every request to the upstream is refused until the guardian restarts it. */
export function upstreamRefused(random: Random, go: (ms: number) => string, ms: number): LogEvent {
  const p = random.float() < 0.3 ? random.pick(OOM_WORD_PATHS) : random.pick(PLAIN_PATHS);
  const message = `${go(ms)} [error] 1023#1023: *${random.int(100_000, 999_999)} connect() failed (111: Connection refused) while connecting to upstream, client: ${random.pick(CLIENTS)}, server: www.example.com, request: "GET ${p} HTTP/1.1", upstream: "http://127.0.0.1:8001${p}", host: "www.example.com"`;
  return { ms, ident: 'nginx', pid: null, message, priority: 3, transport: 'syslog', monoUs: 0 };
}
