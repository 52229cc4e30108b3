// Lines that look close to something we recognise but are not: they must yield no event (or only `app.line`).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SourceKind } from '../../src/contract/analysis.js';
import { recognise } from '../../src/recognise/index.js';
import { sampleRecord } from '../../src/recognise/sample-record.js';

interface Noise {
  readonly kind: SourceKind;
  readonly ident: string | null;
  readonly line: string;
  /** What it must yield: nothing, (app sources) only a last-activity `app.line`, or only a clock hint. */
  readonly yields: null | 'app.line' | 'kernel.audit';
}

const kernel = (line: string): Noise => ({ kind: 'kernel', ident: null, line, yields: null });
const sys = (ident: string | null, line: string): Noise => ({ kind: 'system', ident, line, yields: null });
const app = (line: string): Noise => ({ kind: 'app', ident: null, line, yields: 'app.line' });
const guardian = (line: string): Noise => ({ kind: 'guardian', ident: null, line, yields: null });

const NOISE: readonly Noise[] = [
  kernel('room'),
  kernel('zoom'),
  kernel('bloom filter rebuilt'),
  // An audit record is no evidence of a death, but its stamp is a clock hint: it yields only `kernel.audit`.
  {
    kind: 'kernel',
    ident: null,
    line: 'audit: type=1400 audit(1700000000.123:42): apparmor="DENIED" comm="bloom" name="/srv/room/zoom"',
    yields: 'kernel.audit',
  },
  kernel('usb 1-1: new high-speed USB device number 2 using ehci-pci'),
  kernel('[UFW BLOCK] IN=eth0 OUT= MAC=00:16:3e SRC=10.0.0.1 DST=10.0.0.2 LEN=40 PROTO=TCP SPT=443 DPT=8001'),
  kernel('EXT4-fs (vda1): mounted filesystem with ordered data mode. Quota mode: none.'),
  kernel('Memory cgroup stats for /process_api/x/ceo_oomtest:'),
  kernel('hierarchical_memory_limit 67108864'),
  kernel('memory+swap: usage 65536kB, limit 9007199254740988kB, failcnt 0'),
  kernel('kmem: usage 768kB, limit 9007199254740988kB, failcnt 0'),
  kernel('Mem-Info:'),
  // `Free swap  = 0kB` is a figure the diagnosis reads (kernel-mem-info.ts); its neighbours in the block are not.
  kernel('0 pages in swap cache'),
  kernel('Swap cache stats: add 0, delete 0, find 0/0'),
  kernel('41392 pages reserved'),
  kernel('Tasks state (memory values in pages):'),
  kernel('Out of memory and no killable processes...'),
  kernel('oom_reaper: unable to reap pid:2249 (anqicms)'),
  kernel('Kill process 1235 (anqicms) sharing same memory'),
  kernel('CPU: 1 UID: 0 PID: 2249 Comm: anqicms Not tainted 6.18.44-fc-v657 #1 PREEMPT(none)'),
  kernel(' oom_kill_process.cold+0x8/0x8a'),
  kernel('Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF'),
  kernel('nfs: server https://oom.example.org/oom-killer not responding, still trying'),
  kernel('[drm] Initialized bochs-drm 1.0.0 for 0000:00:02.0 on minor 0'),
  sys(
    'anqicms',
    'Out of memory: Killed process 4242 (anqicms) total-vm:1000kB, anon-rss:500kB, file-rss:0kB',
  ),
  sys('myapp', 'Killed process 4242 (anqicms) total-vm:1000kB, anon-rss:500kB, file-rss:0kB, shmem-rss:0kB'),
  sys('bash', 'anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0'),
  sys('sshd', 'Accepted publickey for root from 10.0.0.1 port 52514 ssh2: ED25519 SHA256:abc'),
  sys('CRON', '(root) CMD (/www/wwwroot/anqicms/start.sh >> /www/wwwroot/anqicms/check.log 2>&1)'),
  // A job line is an event (`unit.starting`); a target reached is not.
  sys('systemd', 'Reached target Multi-User System.'),
  // upstart's debug trace of a job starting, and a job's script ending, are not its main process dying.
  sys('init', 'anqicms pre-start process (2240) terminated with status 1'),
  sys('kernel', 'init: lldpd main process (3653) executable changed'),
  sys('systemd', 'anqicms.service: Consumed 15h 5min 35.515s CPU time.'),
  sys('systemd-oomd', 'Failed to kill any cgroup(s) under /system.slice based on pressure: No such process'),
  sys('earlyoom', 'mem avail:  3987 of 15876 MiB (25.11%), swap free:    0 of    0 MiB ( 0.00%)'),
  sys('earlyoom', 'escalating to SIGKILL after 0.5 seconds'),
  sys(null, 'room with a view'),
  {
    kind: 'unknown',
    ident: 'kernel',
    line: 'Out of memory: Killed process 1 (x) total-vm:1kB',
    yields: null,
  },
  app('Out of memory cache miss'),
  app('2024/07/23 10:04:01 GET https://zoom.us/oom?room=bloom 200'),
  app(
    '2024/07/23 10:04:01 http: panic serving 1.2.3.4:5555: runtime error: index out of range [3] with length 3',
  ),
  app('the panic: button was pressed'),
  app('dopanic: not a go panic'),
  app('Killed process 4242 (anqicms) total-vm:1000kB'),
  app('anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0'),
  app('重载模板'),
  app('监听到退出信号'),
  app('/www/wwwroot/anqicms/'),
  app('[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f4a5]'),
  app('goroutine 1 [running]:'),
  guardian('nohup: ignoring input'),
  guardian('anqicms is already running.'),
  guardian('anqicms started.'),
  guardian('anqicms is not running.'),
  guardian('[: -eq: unary operator expected'),
  guardian('Out of memory: Killed process 4242 (anqicms) total-vm:1000kB'),
];

describe('noise yields nothing', () => {
  for (const n of NOISE) {
    test(`${n.kind}/${n.ident ?? '-'}: ${n.line}`, () => {
      const record = sampleRecord(n.line, { ident: n.ident });
      const event = recognise(record, n.kind);
      assert.equal(event?.type ?? null, n.yields);
    });
  }
});

test('blank app lines are not activity', () => {
  assert.equal(recognise(sampleRecord(''), 'app'), null);
  assert.equal(recognise(sampleRecord('   \t'), 'app'), null);
});
