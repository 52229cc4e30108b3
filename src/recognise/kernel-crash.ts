// Kernel lines about a user process dying of its own fault (log-formats.md §5.8): segfault and x86 traps, and the
// audit subsystem's ANOM_ABEND record that follows them.
//
// show_signal_msg() and the trap handlers print `tsk->comm[task_pid_nr(tsk)]` of the faulting *thread*: a named
// thread (`tokio-runtime-w`, `C2 CompilerThre`) shows its own name and its thread id. What ties the line to its
// process is the file the fault address lies in (` in anqicms[400000+e3d000]`, when the fault is in the program's
// own code) and the ANOM_ABEND record, which names the process id and its binary (`pid=1307 … exe="/opt/…/mmstress"`
// after `mmstress[1309]: segfault at …`, an LTP paste).
import type { LogRecord } from '../framing/record.js';
import type { KernelAbend, KernelSegfault } from './event.js';
import { toNumber } from './field-list.js';
import type { Groups, Recogniser } from './recogniser.js';
import type { RecogniserTable } from './table.js';

function buildSegfault(g: Groups, record: LogRecord): KernelSegfault | null {
  const pid = toNumber(g.pid);
  return pid === null
    ? null
    : { type: 'kernel.segfault', record, process: g.process ?? '', pid, object: g.object ?? null };
}

// print_vma_addr(): ` in <file>[<start>+<size>]`, since 6.1 ` in <file>[<offset>,<start>+<size>]`.
const IN_OBJECT = String.raw`(?:.*? in (?<object>[^\s[]+)\[[\da-f]+(?:,[\da-f]+)?\+[\da-f]+\])?`;

export const kernelSegfault: Recogniser<KernelSegfault> = {
  id: 'kernel.segfault',
  type: 'kernel.segfault',
  guard: ': segfault at ',
  // `%s[%d]: segfault at …`; the comm may contain `[`, so take the last `[pid]: segfault at`.
  pattern: new RegExp(String.raw`^(?<process>.*)\[(?<pid>\d+)\]: segfault at ${IN_OBJECT}`),
  build: buildSegfault,
  samples: [
    {
      line: 'a.out[25311]: segfault at 0 ip 0000000000400546 sp 00007fff2fb08610 error 4 in a.out[400000+1000]',
      expect: { process: 'a.out', pid: 25311, object: 'a.out' },
    },
    {
      line: 'anqicms[2249]: segfault at 8 ip 000000000046b1c2 sp 000000c000153e40 error 4 in anqicms[400000+e3d000] likely on CPU 1 (core 1, socket 0)',
      expect: { process: 'anqicms', pid: 2249, object: 'anqicms' },
    },
    {
      line: 'php-fpm[812]: segfault at 7ffd3b1f8ff8 ip 00007f2a1c0b4f2e sp 00007ffd3b1f9000 error 6 in libphp.so[7f2a1be00000+5d2000]',
      expect: { process: 'php-fpm', pid: 812, object: 'libphp.so' },
    },
    {
      // 6.x: the file offset before the mapping (sist2app/sist2#553 paste).
      line: 'sist2-v4.0.1[819230]: segfault at 7ffe7cac3ae8 ip 00000000004c14a0 sp 00007ffe7cac3af0 error 6 in sist2-v4.0.1[c14a0,401000+2bd4000] likely on CPU 2 (core 2, socket 0)',
      expect: { process: 'sist2-v4.0.1', pid: 819230, object: 'sist2-v4.0.1' },
    },
    {
      // A named thread faulting in libc (pop-os/cosmic-app-library#234 paste): the name is the thread's.
      line: 'tokio-runtime-w[3552]: segfault at 7f61f67fb990 ip 00007f623575ade4 sp 00007f6234c3b6d0 error 4 in libc.so.6[72de4,7f62356e8000+16f000] likely on CPU 4 (core 4, socket 0)',
      expect: { process: 'tokio-runtime-w', pid: 3552, object: 'libc.so.6' },
    },
    {
      // A fault outside any file mapping: no ` in …`.
      line: 'anqicms-worker[2251]: segfault at 0 ip 0000000000000000 sp 000000c00004df58 error 14',
      expect: { process: 'anqicms-worker', pid: 2251, object: null },
    },
    { line: 'a.out/25311: potentially unexpected fatal signal 11.', expect: null },
  ],
};

export const kernelGeneralProtection: Recogniser<KernelSegfault> = {
  id: 'kernel.general-protection',
  type: 'kernel.segfault',
  guard: 'general protection',
  // `traps: ` is the pr_fmt prefix of newer kernels; "fault" was added to the text later (older: `… protection ip:`).
  pattern: new RegExp(
    String.raw`^(?:traps: )?(?<process>.*)\[(?<pid>\d+)\] general protection(?: fault)? r?ip:${IN_OBJECT}`,
  ),
  build: buildSegfault,
  samples: [
    {
      line: 'traps: node[1234] general protection fault ip:7f0a1c2b3d4e sp:7ffd0a0b0c0d error:0 in libc.so.6[7f0a1c000000+195000]',
      expect: { process: 'node', pid: 1234, object: 'libc.so.6' },
    },
    {
      line: 'traps: java[2345] general protection ip:7f12aa01 sp:7f11bb02 error:0 in libjvm.so[7f12a0000000+a00000]',
      expect: { process: 'java', pid: 2345 },
    },
    {
      line: 'python[3456] general protection rip:2b1c3d4e5f60 rsp:7fff12345678 error:0',
      expect: { process: 'python', pid: 3456 },
    },
    {
      line: 'general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP',
      expect: null,
    },
  ],
};

export const kernelTrap: Recogniser<KernelSegfault> = {
  id: 'kernel.trap',
  type: 'kernel.segfault',
  guard: '] trap ',
  // do_trap(): `%s[%d] trap %s ip:… sp:… error:…` [recall]. int3 is a debugger breakpoint, not a crash: left out.
  pattern: new RegExp(
    String.raw`^(?:traps: )?(?<process>.*)\[(?<pid>\d+)\] trap (?<trap>invalid opcode|divide error|stack segment|bounds|overflow) ${IN_OBJECT}`,
  ),
  build: buildSegfault,
  samples: [
    {
      line: 'traps: rustc[4567] trap invalid opcode ip:55d3a0 sp:7ffc10 error:0 in rustc[55d3a0000+1000]',
      expect: { process: 'rustc', pid: 4567, object: 'rustc' },
    },
    {
      line: 'traps: a.out[99] trap divide error ip:4004f1 sp:7ffe5c2a error:0 in a.out[400000+1000]',
      expect: { process: 'a.out', pid: 99 },
    },
    {
      line: 'traps: gdb-test[99] trap int3 ip:4004f1 sp:7ffe5c2a error:0 in a.out[400000+1000]',
      expect: null,
    },
  ],
};

/** audit hex-encodes a value holding a space, a quote or a control character (`comm=6D7920617070`). */
function auditValue(quoted: string | undefined, hex: string | undefined): string {
  if (quoted !== undefined) return quoted;
  if (hex === undefined) return '';
  return Buffer.from(hex, 'hex').toString('utf8');
}

function buildAbend(g: Groups, record: LogRecord): KernelAbend | null {
  const pid = toNumber(g.pid);
  const signal = toNumber(g.sig);
  if (pid === null || signal === null) return null;
  return {
    type: 'kernel.abend',
    record,
    pid,
    process: auditValue(g.comm, g.commHex),
    exe: auditValue(g.exe, g.exeHex),
    signal,
  };
}

export const kernelAbend: Recogniser<KernelAbend> = {
  id: 'kernel.abend',
  type: 'kernel.abend',
  guard: ' sig=',
  // The kernel's own printk (`audit: type=1701 audit(…): …`, when no auditd takes the records) and the journal's
  // rendering of the same record (`ANOM_ABEND …`, identifier `audit`). `pid` is the process, not the thread.
  pattern:
    /^(?:audit: type=1701 audit\([\d.:]+\): |ANOM_ABEND )(?:.* )?pid=(?<pid>\d+) comm=(?:"(?<comm>.*)"|(?<commHex>[\dA-F]+)) exe=(?:"(?<exe>[^"]*)"|(?<exeHex>[\dA-F]+)) sig=(?<sig>\d+)/,
  build: buildAbend,
  samples: [
    {
      // An LTP paste: the segfault line named thread 1309, this record the process 1307.
      line: 'audit: type=1701 audit(1602818315.656:3): auid=4294967295 uid=0 gid=0 ses=4294967295 subj=kernel pid=1307 comm="mmstress" exe="/opt/ltp/testcases/bin/mmstress" sig=11 res=1',
      expect: { pid: 1307, process: 'mmstress', exe: '/opt/ltp/testcases/bin/mmstress', signal: 11 },
    },
    {
      // pop-os/cosmic-app-library#234 paste (journal, identifier `audit`).
      line: 'ANOM_ABEND auid=1000 uid=1000 gid=1000 ses=2 subj=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023 pid=3552 comm="tokio-runtime-w" exe="/usr/bin/cosmic-app-library" sig=11 res=1',
      expect: { pid: 3552, process: 'tokio-runtime-w', exe: '/usr/bin/cosmic-app-library', signal: 11 },
    },
    {
      line: 'audit: type=1701 audit(1648621070.228:22): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=313 comm="(spatcher)" exe="/lib/systemd/systemd" sig=6 res=1',
      expect: { pid: 313, process: '(spatcher)', exe: '/lib/systemd/systemd', signal: 6 },
    },
    {
      // A name with a space, hex-encoded by audit (constructed).
      line: 'audit: type=1701 audit(1721700227.512:41): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=2249 comm=6D7920617070 exe="/opt/my app/bin" sig=11 res=1',
      expect: { pid: 2249, process: 'my app', exe: '/opt/my app/bin', signal: 11 },
    },
    {
      line: 'audit: type=1400 audit(1516727998.696:8): apparmor="STATUS" operation="profile_replace" profile="unconfined" name="/usr/lib/NetworkManager/nm-dhcp-client.action" pid=813 comm="apparmor_parser"',
      expect: null,
    },
  ],
};

export const kernelCrashTable: RecogniserTable = {
  id: 'kernel-crash',
  recognisers: [kernelSegfault, kernelGeneralProtection, kernelTrap, kernelAbend],
};
