// Writes examples/anqicms-vps/: the logs of a small AnQiCMS server on 2024-07-23 (Asia/Shanghai, +08:00) with
// exactly three deaths — a Go panic (01:38), a kernel OOM kill (10:03:47, during a collection run) and a deliberate
// SIGTERM (16:21).
// examples/README.md lists the verdicts oomsleuth must give. Run: `npx tsx scripts/make-example.ts`.
//
// Deterministic on purpose: a seeded PRNG and fixed dates, so a re-run rewrites byte-identical files and a diff
// of examples/ shows only deliberate changes. Line formats follow shared/reference/log-formats.md verbatim.
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'anqicms-vps');
const HOST = 'VM-8-12-ubuntu';
const APP_DIR = '/www/wwwroot/anqicms/';
const OFFSET_MS = 8 * 3600_000; // Asia/Shanghai has no DST: a fixed +08:00 is exact

// ── deterministic randomness ────────────────────────────────────────────────────────────────────────────────
/** mulberry32: tiny, seedable, good enough to scatter log noise. */
function makeRandom(seed: number): (lo: number, hi: number) => number {
  let a = seed >>> 0;
  return (lo, hi) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return lo + Math.floor(r * (hi - lo + 1));
  };
}
const rand = makeRandom(20240723);
function pick<T>(items: readonly T[]): T {
  return items[rand(0, items.length - 1)] as T;
}

// ── time: epoch milliseconds, printed in +08:00 ─────────────────────────────────────────────────────────────
const MIN = 60_000;
const SEC = 1000;
/** Epoch ms of a local (+08:00) wall time. */
function at(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  return Date.UTC(y, mo - 1, d, h, mi, s) - OFFSET_MS;
}
function parts(ms: number) {
  const d = new Date(ms + OFFSET_MS);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return {
    y: String(d.getUTCFullYear()),
    mo: p2(d.getUTCMonth() + 1),
    moName: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
      d.getUTCMonth()
    ],
    d: p2(d.getUTCDate()),
    dSpace: String(d.getUTCDate()).padStart(2, ' '),
    hms: `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`,
  };
}
/** `date +'%Y%m%d %H:%M:%S'` as the old start.sh writes it. */
const checkStamp = (ms: number) => {
  const p = parts(ms);
  return `${p.y}${p.mo}${p.d} ${p.hms}`;
};
/** Go's log package default prefix. */
const goStamp = (ms: number) => {
  const p = parts(ms);
  return `${p.y}/${p.mo}/${p.d} ${p.hms}`;
};
/** RFC 3164 `%b %e %H:%M:%S`: day padded with a space, no year, no zone. */
const syslogStamp = (ms: number) => {
  const p = parts(ms);
  return `${p.moName} ${p.dSpace} ${p.hms}`;
};

// ── the story ────────────────────────────────────────────────────────────────────────────────────────────────
const BOOT = at(2024, 7, 20, 3, 15, 12); // `uptime -s`; kernel [mono] stamps count from here
const DAY_START = at(2024, 7, 23, 0, 0, 1);
const DAY_END = at(2024, 7, 23, 23, 59, 1);
const SYSLOG_FROM = at(2024, 7, 22, 14, 0, 3);
// logrotate.timer runs hourly here and rotates by size (`maxsize`), so the day spans three files
const ROTATIONS = [at(2024, 7, 23, 2, 0, 3), at(2024, 7, 23, 14, 0, 3)];
const HUPS = [SYSLOG_FROM, ...ROTATIONS]; // syslog.2.gz itself began at a rotation
const CAPTURE = at(2024, 7, 23, 23, 59, 59);

const PANIC = { lastLine: at(2024, 7, 23, 1, 37, 52), deadCheck: at(2024, 7, 23, 1, 39, 1) };
const OOM = {
  kill: at(2024, 7, 23, 10, 3, 47),
  killFracUs: 412,
  deadCheck: at(2024, 7, 23, 10, 4, 1),
  pid: 18734,
  tid: 18749,
  totalVmKb: 3921880,
  anonKb: 3541204,
  fileKb: 2148,
  pgtablesKb: 7412,
};
const STOP = {
  login: at(2024, 7, 23, 16, 19, 48),
  lastLine: at(2024, 7, 23, 16, 20, 31),
  deadCheck: at(2024, 7, 23, 16, 22, 1),
};
const DEAD_CHECKS = new Set([PANIC.deadCheck, OOM.deadCheck, STOP.deadCheck]);

// ── check.log ────────────────────────────────────────────────────────────────────────────────────────────────
function checkLog(): string[] {
  const lines: string[] = [];
  for (let t = DAY_START; t <= DAY_END; t += MIN) {
    lines.push(`${checkStamp(t)} anqicms PID check: ${DEAD_CHECKS.has(t) ? 0 : 1}`);
  }
  return lines;
}

// ── running.log ──────────────────────────────────────────────────────────────────────────────────────────────
/** The startup sequence of log-formats §6.2: exec path, Iris banner, listen lines, the browser hint ~1 s later. */
function startup(t: number): string[] {
  return [
    `${goStamp(t)} ${APP_DIR}`,
    'Iris Version: 12.2.11',
    '',
    'Now listening on: http://localhost:8001',
    'Application started. Press CTRL+C to shut down.',
    `${goStamp(t + SEC)} 请手动在浏览器输入访问地址： http://127.0.0.1:8001`,
  ];
}

const ACTIVITY: ReadonlyArray<(t: number) => string> = [
  () => '重载模板',
  (t) => `${goStamp(t)} sitemap 生成完成，共 ${rand(1100, 1400)} 条链接`,
  (t) => `${goStamp(t)} 采集任务开始: 关键词 ${pick(['云服务器', '网站建设', '企业官网', 'SEO优化'])}`,
  (t) => `${goStamp(t)} 采集完成: 新增 ${rand(1, 18)} 篇文章`,
  (t) => `${goStamp(t)} 推送百度: 成功 ${rand(1, 9)} 条`,
  (t) => `${goStamp(t)} 自动发布文章: ${rand(1, 4)} 篇`,
];

/** A few activity lines an hour, strictly inside [from, to). */
function activity(from: number, to: number): string[] {
  const lines: string[] = [];
  for (
    let t = from + rand(8, 25) * MIN + rand(0, 59) * SEC;
    t < to;
    t += rand(12, 30) * MIN + rand(0, 59) * SEC
  ) {
    lines.push(pick(ACTIVITY)(t));
  }
  return lines;
}

/**
 * A collection run from `from` until `to`: its start, then one line per page fetched every 37 s. Fixed numbers, no draw
 * from the PRNG, so the rest of the example is unchanged by it. The last activity line before it is at 09:45:24.
 */
function collectionRun(from: number, to: number): string[] {
  const lines = [`${goStamp(from)} 采集任务开始: 关键词 企业官网 (共 40 页)`];
  for (let page = 1, t = from + 23 * SEC; t < to; page++, t += 37 * SEC)
    lines.push(`${goStamp(t)} 采集中: 第 ${page} 页，新增 ${((page * 7) % 5) + 2} 篇文章`);
  return lines;
}

const PANIC_LINES = [
  'panic: runtime error: invalid memory address or nil pointer dereference',
  '[signal SIGSEGV: segmentation violation code=0x1 addr=0x30 pc=0x1a52c3e]',
  '',
  'goroutine 1 [running]:',
  'kandaoni.com/anqicms/provider.(*Website).GetSetting(...)',
  '\t/data/build/anqicms/provider/setting.go:214',
  'kandaoni.com/anqicms/crond.Crond()',
  '\t/data/build/anqicms/crond/crond.go:61 +0x23e',
  'main.main()',
  '\t/data/build/anqicms/main.go:79 +0x4a5',
];

function runningLog(): string[] {
  const deployed = at(2024, 7, 22, 9, 30, 1);
  return [
    'nohup: ignoring input', // started by hand from an SSH shell after the deploy (stdin was a terminal)
    ...startup(deployed),
    ...activity(deployed + 5 * SEC, PANIC.lastLine),
    `${goStamp(PANIC.lastLine)} 推送百度: 成功 3 条`,
    ...PANIC_LINES,
    ...startup(PANIC.deadCheck),
    ...activity(PANIC.deadCheck + 5 * SEC, OOM.kill - 40 * SEC),
    // a keyword collection (采集) runs page after page while memory climbs: the diagnosis reads it as the spike
    ...collectionRun(OOM.kill - 8 * MIN - 35 * SEC, OOM.kill - 20 * SEC),
    // the OOM kill is a SIGKILL: no last words, the log simply stops here (the cliff)
    ...startup(OOM.deadCheck),
    ...activity(OOM.deadCheck + 5 * SEC, STOP.lastLine - 30 * SEC),
    `${goStamp(STOP.lastLine)} 采集完成: 新增 4 篇文章`,
    '退出 terminated',
    '监听到退出信号',
    ...startup(STOP.deadCheck),
    ...activity(STOP.deadCheck + 5 * SEC, CAPTURE),
  ];
}

// ── kernel OOM report (6.8, global) ─────────────────────────────────────────────────────────────────────────
type Task = [
  pid: number,
  uid: number,
  name: string,
  totalVm: number,
  anon: number,
  file: number,
  shmem: number,
  pgtablesBytes: number,
  adj: number,
];

const TASKS: Task[] = [
  [398, 0, 'systemd-journal', 12605, 384, 256, 0, 106496, -250],
  [441, 0, 'systemd-udevd', 6521, 352, 480, 0, 77824, -1000],
  [689, 991, 'systemd-resolve', 6216, 288, 1024, 0, 90112, 0],
  [721, 0, 'cron', 1671, 96, 640, 0, 53248, 0],
  [722, 102, 'dbus-daemon', 2344, 160, 512, 0, 57344, -900],
  [730, 104, 'rsyslogd', 55598, 416, 832, 0, 81920, 0],
  [801, 0, 'sshd', 3004, 288, 1280, 0, 65536, -1000],
  [901, 113, 'mysqld', 459112, 101232, 3152, 0, 1212416, 0],
  [1022, 0, 'nginx', 14420, 512, 608, 32, 94208, 0],
  [1023, 33, 'nginx', 15012, 1120, 736, 32, 102400, 0],
  [1024, 33, 'nginx', 15012, 1088, 736, 32, 102400, 0],
  [OOM.pid, 0, 'anqicms', OOM.totalVmKb / 4, OOM.anonKb / 4, OOM.fileKb / 4, 0, OOM.pgtablesKb * 1024, 0],
];

/** `[%7d] %5d %5d %8lu %8lu %8lu %8lu %9lu %8ld %8lu         %5hd %s` — the 6.8 task-table row. */
function taskRow([pid, uid, name, vm, anon, file, shmem, pgt, adj]: Task): string {
  const r = (n: number, w: number) => String(n).padStart(w, ' ');
  return `[${r(pid, 7)}] ${r(uid, 5)} ${r(pid, 5)} ${r(vm, 8)} ${r(anon + file + shmem, 8)} ${r(anon, 8)} ${r(file, 8)} ${r(shmem, 9)} ${r(pgt, 8)} ${r(0, 8)}         ${r(adj, 5)} ${name}`;
}

function oomReport(): string[] {
  return [
    'anqicms invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
    `CPU: 1 PID: ${OOM.tid} Comm: anqicms Not tainted 6.8.0-39-generic #39-Ubuntu`,
    'Hardware name: Tencent Cloud CVM, BIOS seabios-1.9.1-qemu-project.org 04/01/2014',
    'Call Trace:',
    ' <TASK>',
    ' dump_stack_lvl+0x76/0xa0',
    ' dump_stack+0x10/0x20',
    ' dump_header+0x47/0x1f0',
    ' oom_kill_process+0x118/0x280',
    ' ? oom_evaluate_task+0x143/0x1e0',
    ' out_of_memory+0x103/0x350',
    ' __alloc_pages_slowpath.constprop.0+0xa14/0xe50',
    ' __alloc_pages+0x31f/0x350',
    ' alloc_pages_mpol+0x91/0x1f0',
    ' folio_alloc+0x64/0x120',
    ' filemap_alloc_folio+0xf4/0x100',
    ' __filemap_get_folio+0x14b/0x2f0',
    ' filemap_fault+0x15c/0x8e0',
    ' __do_fault+0x3a/0x190',
    ' do_fault+0x293/0x4c0',
    ' __handle_mm_fault+0x7a0/0xd80',
    ' handle_mm_fault+0x18d/0x380',
    ' do_user_addr_fault+0x169/0x670',
    ' exc_page_fault+0x83/0x1b0',
    ' asm_exc_page_fault+0x27/0x30',
    'RIP: 0033:0x46d8a3',
    'Code: Unable to access opcode bytes at 0x46d879.',
    'RSP: 002b:000000c00067fd40 EFLAGS: 00010246',
    'RAX: 0000000000000000 RBX: 000000c000580000 RCX: 000000000046d8a3',
    'RDX: 0000000000000003 RSI: 0000000000400000 RDI: 000000c000580000',
    'RBP: 000000c00067fd80 R08: 0000000000000000 R09: 0000000000000000',
    'R10: 0000000000000000 R11: 0000000000000206 R12: 000000c00067fd68',
    'R13: 0000000000000000 R14: 000000c0000061a0 R15: 00007f9d6c8b7a2e',
    ' </TASK>',
    'Mem-Info:',
    'active_anon:221486 inactive_anon:688212 isolated_anon:0',
    ' active_file:102 inactive_file:31 isolated_file:0',
    ' unevictable:0 dirty:0 writeback:0',
    ' slab_reclaimable:8206 slab_unreclaimable:14911',
    ' mapped:2051 shmem:3302 pagetables:4398',
    ' sec_pagetables:0 bounce:0',
    ' kernel_misc_reclaimable:0',
    ' free:13502 free_pcp:58 free_cma:0',
    'Node 0 active_anon:885944kB inactive_anon:2752848kB active_file:408kB inactive_file:124kB unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:8204kB dirty:0kB writeback:0kB shmem:13208kB shmem_thp:0kB shmem_pmdmapped:0kB anon_thp:0kB writeback_tmp:0kB kernel_stack:5312kB pagetables:17592kB sec_pagetables:0kB all_unreclaimable? no',
    'Node 0 DMA free:14336kB boost:0kB min:268kB low:332kB high:396kB reserved_highatomic:0KB active_anon:0kB inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB present:15992kB managed:15360kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB',
    'lowmem_reserve[]: 0 2911 3847 3847 3847',
    'Node 0 DMA32 free:30512kB boost:0kB min:50632kB low:63288kB high:75944kB reserved_highatomic:0KB active_anon:667402kB inactive_anon:2073614kB active_file:220kB inactive_file:64kB unevictable:0kB writepending:0kB present:3129200kB managed:3012668kB mlocked:0kB bounce:0kB free_pcp:112kB local_pcp:0kB free_cma:0kB',
    'lowmem_reserve[]: 0 0 936 936 936',
    'Node 0 Normal free:9160kB boost:0kB min:16288kB low:20360kB high:24432kB reserved_highatomic:0KB active_anon:218542kB inactive_anon:679234kB active_file:188kB inactive_file:60kB unevictable:0kB writepending:0kB present:1048576kB managed:958716kB mlocked:0kB bounce:0kB free_pcp:120kB local_pcp:0kB free_cma:0kB',
    'lowmem_reserve[]: 0 0 0 0 0',
    'Node 0 DMA: 0*4kB 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 1*2048kB (M) 3*4096kB (M) = 14336kB',
    'Node 0 DMA32: 318*4kB (UME) 281*8kB (UME) 201*16kB (UME) 131*32kB (UME) 85*64kB (UME) 38*128kB (UM) 9*256kB (UM) 2*512kB (M) 0*1024kB 0*2048kB 0*4096kB = 30512kB',
    'Node 0 Normal: 418*4kB (UME) 247*8kB (UME) 117*16kB (UME) 43*32kB (UM) 11*64kB (UM) 2*128kB (M) 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 9160kB',
    'Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB',
    'Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB',
    '3435 total pagecache pages',
    '0 pages in swap cache',
    'Free swap  = 0kB',
    'Total swap = 0kB',
    '1048443 pages RAM',
    '0 pages HighMem/MovableOnly',
    '41392 pages reserved',
    '0 pages hwpoisoned',
    'Tasks state (memory values in pages):',
    '[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name',
    ...TASKS.map(taskRow),
    // cron starts the app (nohup … &), so on a systemd host it lives in cron.service's cgroup
    `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/cron.service,task=anqicms,pid=${OOM.pid},uid=0`,
    `Out of memory: Killed process ${OOM.pid} (anqicms) total-vm:${OOM.totalVmKb}kB, anon-rss:${OOM.anonKb}kB, file-rss:${OOM.fileKb}kB, shmem-rss:0kB, UID:0 pgtables:${OOM.pgtablesKb}kB oom_score_adj:0`,
  ];
}

// ── syslog ───────────────────────────────────────────────────────────────────────────────────────────────────
interface Entry {
  t: number;
  seq: number;
  text: string;
}
const entries: Entry[] = [];
/** `first`: the line opens its second (rsyslog's HUP notice heads a freshly rotated file). */
function log(t: number, tag: string, msg: string, first = false): void {
  // rsyslog's traditional template adds a space after the tag only when the message does not start with one
  const sep = msg.startsWith(' ') ? '' : ' ';
  entries.push({
    t,
    seq: first ? -1 : entries.length,
    text: `${syslogStamp(t)} ${HOST} ${tag}:${sep}${msg}`,
  });
}
/** Debian/Ubuntu rsyslog reads the kernel ring with imklog, which keeps the printk `[seconds.micro]` stamp. */
function kernel(monoUs: number, body: string): void {
  const s = Math.floor(monoUs / 1e6);
  const us = monoUs % 1e6;
  const stamp = `[${String(s).padStart(5, ' ')}.${String(us).padStart(6, '0')}]`;
  log(BOOT + Math.floor(monoUs / 1000), 'kernel', `${stamp} ${body}`);
}
const monoUs = (t: number, fracUs: number) => (t - BOOT) * 1000 + fracUs;

function nginxError(t: number, level: string, rest: string): void {
  log(t, 'nginx', `${goStamp(t)} [${level}] 1023#1023: *${rand(120000, 190000)} ${rest}`);
}
function upstreamRefused(t: number): void {
  const path = pick(['/article/1723.html', '/', '/category/news', '/article/meeting-room-design.html']);
  nginxError(
    t,
    'error',
    `connect() failed (111: Connection refused) while connecting to upstream, client: ${pick(['66.249.66.1', '220.181.108.91', '116.179.32.160'])}, server: www.example.com, request: "GET ${path} HTTP/1.1", upstream: "http://127.0.0.1:8001${path}", host: "www.example.com"`,
  );
}

function background(): void {
  // cron logs its CMD at :01 of each minute, the same second the guardian stamps check.log
  for (let minute = SYSLOG_FROM - 2 * SEC; minute <= CAPTURE; minute += MIN) {
    const m = new Date(minute + OFFSET_MS).getUTCMinutes();
    log(minute, `CRON[${rand(20000, 65000)}]`, '(root) CMD (/www/wwwroot/anqicms/start.sh)');
    if (m === 17)
      log(minute, `CRON[${rand(20000, 65000)}]`, '(root) CMD (cd / && run-parts --report /etc/cron.hourly)');
    if (m % 10 === 0) {
      const s = minute + rand(0, 3) * SEC;
      log(s, 'systemd[1]', 'Starting sysstat-collect.service - system activity accounting tool...');
      log(s, 'systemd[1]', 'sysstat-collect.service: Deactivated successfully.');
      log(s, 'systemd[1]', 'Finished sysstat-collect.service - system activity accounting tool.');
    }
    if (m === 0 && !HUPS.includes(minute + 2 * SEC)) {
      const s = minute + 2 * SEC;
      log(s, 'systemd[1]', 'Starting logrotate.service - Rotate log files...');
      log(s, 'systemd[1]', 'logrotate.service: Deactivated successfully.');
      log(s, 'systemd[1]', 'Finished logrotate.service - Rotate log files.');
    }
  }
  const scanners = ['185.220.101.34', '45.148.10.192', '218.92.0.112', '61.177.172.140', '80.66.83.44'];
  for (let t = SYSLOG_FROM + 3 * MIN; t < CAPTURE; t += rand(4, 16) * MIN + rand(0, 59) * SEC) {
    const pid = rand(20000, 65000);
    const ip = pick(scanners);
    const port = rand(30000, 65000);
    if (rand(0, 2) === 0) {
      const user = pick(['admin', 'oracle', 'test', 'ubuntu', 'git', 'bloom', 'postgres']);
      log(t, `sshd[${pid}]`, `Invalid user ${user} from ${ip} port ${port}`);
      log(t + SEC, `sshd[${pid}]`, `Connection closed by invalid user ${user} ${ip} port ${port} [preauth]`);
    } else {
      log(t, `sshd[${pid}]`, `Disconnected from authenticating user root ${ip} port ${port} [preauth]`);
    }
  }
  for (let t = SYSLOG_FROM + 7 * MIN; t < CAPTURE; t += rand(6, 22) * MIN + rand(0, 59) * SEC) {
    kernel(
      monoUs(t, rand(0, 999999)),
      `[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:8e:1a:2b:fe:ee:0b:cb:66:71:08:00 SRC=${pick(scanners)} DST=10.0.8.12 LEN=40 TOS=0x00 PREC=0x00 TTL=${rand(230, 250)} ID=${rand(1000, 65000)} PROTO=TCP SPT=${rand(1024, 65000)} DPT=${pick([23, 3389, 6379, 5432, 8080])} WINDOW=1024 RES=0x00 SYN URGP=0`,
    );
  }
  // look-alikes an OOM grep trips over: room, zoom, bloom, URLs with "oom" — none of them is a kill
  const lookAlikes: Array<(t: number) => void> = [
    (t) =>
      nginxError(
        t,
        'warn',
        'an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/4/21/0000000214 while reading upstream, client: 66.249.66.1, server: www.example.com, request: "GET /article/zoom-meeting-room-booking.html HTTP/1.1", upstream: "http://127.0.0.1:8001/article/zoom-meeting-room-booking.html", host: "www.example.com"',
      ),
    (t) =>
      nginxError(
        t,
        'error',
        'open() "/www/wwwroot/anqicms/public/uploads/bloom-banner.png" failed (2: No such file or directory), client: 114.119.150.22, server: www.example.com, request: "GET /uploads/bloom-banner.png HTTP/1.1", host: "www.example.com", referrer: "https://www.example.com/tag/bloom"',
      ),
    (t) =>
      nginxError(
        t,
        'error',
        'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 36.110.11.5, server: www.example.com, request: "GET /search?q=oom+killer+out+of+memory HTTP/1.1", upstream: "http://127.0.0.1:8001/search?q=oom+killer+out+of+memory", host: "www.example.com"',
      ),
    (t) => {
      // MySQL 8 stamps its own lines in UTC with microseconds
      const id = rand(4000, 9000);
      const utc = `${new Date(t).toISOString().slice(0, 19)}.${String(rand(0, 999999)).padStart(6, '0')}Z`;
      log(
        t,
        'mysqld[901]',
        `${utc} ${id} [Note] [MY-010914] [Server] Aborted connection ${id} to db: 'anqicms' user: 'anqicms' host: 'localhost' (Got an error reading communication packets).`,
      );
    },
    (t) =>
      nginxError(
        t,
        'error',
        'open() "/www/wwwroot/anqicms/public/showroom/zoom.js" failed (2: No such file or directory), client: 203.0.113.54, server: www.example.com, request: "GET /showroom/zoom.js HTTP/1.1", host: "www.example.com", referrer: "https://www.example.com/showroom/"',
      ),
  ];
  for (let t = SYSLOG_FROM + 11 * MIN; t < CAPTURE; t += rand(25, 70) * MIN + rand(0, 59) * SEC)
    pick(lookAlikes)(t);
}

function incidents(): void {
  // (c) Go panic: nginx sees the upstream gone until the guardian's next run (these lines land in syslog.2.gz)
  upstreamRefused(PANIC.lastLine + 41 * SEC);
  upstreamRefused(PANIC.lastLine + 57 * SEC);
  // (a) kernel OOM kill: one report, ~2.6 ms of printk records ending on the Killed line (lands in syslog.1)
  const report = oomReport();
  const killUs = monoUs(OOM.kill, OOM.killFracUs);
  report.forEach((body, i) => {
    kernel(killUs - (report.length - 1 - i) * 33, body);
  });
  upstreamRefused(OOM.kill + 6 * SEC);
  upstreamRefused(OOM.kill + 11 * SEC);
  // (b) an operator logs in and sends SIGTERM; AnQiCMS prints 退出 terminated (lands in syslog)
  const sshPid = rand(20000, 65000);
  log(
    STOP.login,
    `sshd[${sshPid}]`,
    'Accepted publickey for root from 203.0.113.7 port 52144 ssh2: ED25519 SHA256:q3Zc9vXk1Q0H2mYy8f3rS1Jt5uE6wN7bLp4aDkR0xTg',
  );
  log(
    STOP.login,
    `sshd[${sshPid}]`,
    'pam_unix(sshd:session): session opened for user root(uid=0) by root(uid=0)',
  );
  log(STOP.login, 'systemd-logind[735]', 'New session 2871 of user root.');
  log(STOP.login, 'systemd[1]', 'Started session-2871.scope - Session 2871 of User root.');
  upstreamRefused(STOP.lastLine + 75 * SEC);
}

/** Splits the day at the rotations: lines before the first go to syslog.2.gz, then syslog.1, then syslog. */
function syslogFiles(): { older: string[]; previous: string[]; current: string[] } {
  const [first, second] = ROTATIONS as [number, number];
  for (const r of HUPS) {
    log(
      r,
      'rsyslogd',
      '[origin software="rsyslogd" swVersion="8.2312.0" x-pid="730" x-info="https://www.rsyslog.com"] rsyslogd was HUPed',
      true,
    );
    log(r, 'systemd[1]', 'logrotate.service: Deactivated successfully.');
    log(r, 'systemd[1]', 'Finished logrotate.service - Rotate log files.');
    log(r - SEC, 'systemd[1]', 'Starting logrotate.service - Rotate log files...');
  }
  const sorted = [...entries]
    .filter((e) => e.t >= SYSLOG_FROM && e.t <= CAPTURE)
    .sort((a, b) => a.t - b.t || a.seq - b.seq);
  const lines = (from: number, to: number) =>
    sorted.filter((e) => e.t >= from && e.t < to).map((e) => e.text);
  return {
    older: lines(SYSLOG_FROM, first),
    previous: lines(first, second),
    current: lines(second, CAPTURE + SEC),
  };
}

// ── write ────────────────────────────────────────────────────────────────────────────────────────────────────
const text = (lines: string[]) => `${lines.join('\n')}\n`;

async function main(): Promise<void> {
  background();
  incidents();
  const { older, previous, current } = syslogFiles();
  const files: Array<[name: string, data: string | Buffer, mtime: number]> = [
    ['check.log', text(checkLog()), DAY_END],
    ['running.log', text(runningLog()), CAPTURE - 20 * SEC],
    ['syslog', text(current), CAPTURE],
    ['syslog.1', text(previous), ROTATIONS[1] as number],
    // Node writes a zero mtime into the gzip header, so the bytes are identical from run to run
    ['syslog.2.gz', gzipSync(Buffer.from(text(older)), { level: 9 }), ROTATIONS[0] as number],
  ];
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  for (const [name, data, mtime] of files) {
    const path = join(OUT, name);
    await writeFile(path, data);
    // mtimes help year inference for the year-less syslog; git does not keep them (see examples/README.md)
    await utimes(path, mtime / 1000, mtime / 1000);
  }
  process.stdout.write(`wrote ${files.length} files to ${OUT}\n`);
}

await main();
