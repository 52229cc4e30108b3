// The kernel's records for one planted kill: a 6.8-style global OOM report as `dmesg` would show it (log-formats
// §1.1–§1.9) — trigger line, stack, Mem-Info, task table, `oom-kill:` summary, `Killed process`, `oom_reaper`.
import type { PlantedKill } from './story.js';

/** One printk record: its body and where it sits relative to the `Killed process` line, in µs. */
export interface KernelRecord {
  readonly offsetUs: number;
  readonly body: string;
  /** printk level: the trigger and CPU lines warn, the kill line is an error, the rest is info. */
  readonly priority: number;
}

type TaskRow = [
  pid: number,
  uid: number,
  name: string,
  vm: number,
  anon: number,
  file: number,
  shmem: number,
];

const BASE_TASKS: readonly TaskRow[] = [
  [398, 0, 'systemd-journal', 12605, 384, 256, 0],
  [441, 0, 'systemd-udevd', 6521, 352, 480, 0],
  [689, 991, 'systemd-resolve', 6216, 288, 1024, 0],
  [721, 0, 'cron', 1671, 96, 640, 0],
  [722, 102, 'dbus-daemon', 2344, 160, 512, 0],
  [730, 104, 'rsyslogd', 55598, 416, 832, 0],
  [801, 0, 'sshd', 3004, 288, 1280, 0],
  [1022, 0, 'nginx', 14420, 512, 608, 32],
  [1023, 33, 'nginx', 15012, 1120, 736, 32],
  [1024, 33, 'nginx', 15012, 1088, 736, 32],
];

const STACK = [
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
];

const MEM_INFO = [
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
];

const pad = (n: number, width: number): string => String(n).padStart(width, ' ');

/** `[%7d] %5d %5d %8lu %8lu %8lu %8lu %9lu %8ld %8lu         %5hd %s` — the 6.8 task-table row. */
function taskRow([pid, uid, name, vm, anon, file, shmem]: TaskRow): string {
  const pgtables = Math.max(53248, Math.round(vm / 4096) * 4096);
  return `[${pad(pid, 7)}] ${pad(uid, 5)} ${pad(pid, 5)} ${pad(vm, 8)} ${pad(anon + file + shmem, 8)} ${pad(anon, 8)} ${pad(file, 8)} ${pad(shmem, 9)} ${pad(pgtables, 8)} ${pad(0, 8)}         ${pad(0, 5)} ${name}`;
}

/** The records of one kill; `appPid`/`mysqlPid` are the instances alive at that moment (one is the victim). */
export function oomReport(kill: PlantedKill, appPid: number | null, mysqlPid: number | null): KernelRecord[] {
  const victimRow: TaskRow = [
    kill.pid,
    kill.uid,
    kill.process,
    Math.round(kill.totalVmKb / 4),
    Math.round(kill.anonRssKb / 4),
    Math.round(kill.fileRssKb / 4),
    0,
  ];
  const rows: TaskRow[] = [...BASE_TASKS];
  if (kill.process !== 'mysqld' && mysqlPid !== null)
    rows.push([mysqlPid, 113, 'mysqld', 459112, 101232, 3152, 0]);
  if (kill.process === 'mysqld' && appPid !== null)
    rows.push([appPid, 0, 'anqicms', 402113, 181220, 2410, 0]);
  rows.push(victimRow);
  rows.sort((a, b) => a[0] - b[0]);
  const comm = kill.invokedBy;
  const head: Array<[string, number]> = [
    [
      `${comm} invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0`,
      4,
    ],
    [`CPU: 1 PID: ${kill.triggerTid} Comm: ${comm} Not tainted 6.8.0-39-generic #39-Ubuntu`, 4],
    ['Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.3-debian-1.16.3-2 04/01/2014', 4],
    ...STACK.map((line): [string, number] => [line, 4]),
    ...MEM_INFO.map((line): [string, number] => [line, 6]),
    ['Tasks state (memory values in pages):', 6],
    [
      '[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name',
      6,
    ],
    ...rows.map((row): [string, number] => [taskRow(row), 6]),
    [
      `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=${kill.memcg},task=${kill.process},pid=${kill.pid},uid=${kill.uid}`,
      6,
    ],
    [
      `Out of memory: Killed process ${kill.pid} (${kill.process}) total-vm:${kill.totalVmKb}kB, anon-rss:${kill.anonRssKb}kB, file-rss:${kill.fileRssKb}kB, shmem-rss:0kB, UID:${kill.uid} pgtables:${kill.pgtablesKb}kB oom_score_adj:0`,
      3,
    ],
  ];
  // ~33 µs between records, ending on the kill line; the reaper follows a little later (log-formats §1.9).
  const records: KernelRecord[] = head.map(([body, priority], i) => ({
    offsetUs: -(head.length - 1 - i) * 33,
    body,
    priority,
  }));
  records.push({
    offsetUs: 41_217,
    body: `oom_reaper: reaped process ${kill.pid} (${kill.process}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`,
    priority: 6,
  });
  return records;
}
