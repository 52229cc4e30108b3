// Kernel lines about a user process dying of its own fault (log-formats.md §5.8): segfault and x86 traps.
import type { LogRecord } from '../framing/record.js';
import type { KernelSegfault } from './event.js';
import { toNumber } from './field-list.js';
import type { Groups, Recogniser } from './recogniser.js';
import type { RecogniserTable } from './table.js';

function buildSegfault(g: Groups, record: LogRecord): KernelSegfault | null {
  const pid = toNumber(g.pid);
  return pid === null ? null : { type: 'kernel.segfault', record, process: g.process ?? '', pid };
}

export const kernelSegfault: Recogniser<KernelSegfault> = {
  id: 'kernel.segfault',
  type: 'kernel.segfault',
  guard: ': segfault at ',
  // `%s[%d]: segfault at …`; the comm may contain `[`, so take the last `[pid]: segfault at`.
  pattern: /^(?<process>.*)\[(?<pid>\d+)\]: segfault at /,
  build: buildSegfault,
  samples: [
    {
      line: 'a.out[25311]: segfault at 0 ip 0000000000400546 sp 00007fff2fb08610 error 4 in a.out[400000+1000]',
      expect: { process: 'a.out', pid: 25311 },
    },
    {
      line: 'anqicms[2249]: segfault at 8 ip 000000000046b1c2 sp 000000c000153e40 error 4 in anqicms[400000+e3d000] likely on CPU 1 (core 1, socket 0)',
      expect: { process: 'anqicms', pid: 2249 },
    },
    {
      line: 'php-fpm[812]: segfault at 7ffd3b1f8ff8 ip 00007f2a1c0b4f2e sp 00007ffd3b1f9000 error 6 in libphp.so[7f2a1be00000+5d2000]',
      expect: { process: 'php-fpm', pid: 812 },
    },
    { line: 'a.out/25311: potentially unexpected fatal signal 11.', expect: null },
  ],
};

export const kernelGeneralProtection: Recogniser<KernelSegfault> = {
  id: 'kernel.general-protection',
  type: 'kernel.segfault',
  guard: 'general protection',
  // `traps: ` is the pr_fmt prefix of newer kernels; "fault" was added to the text later (older: `… protection ip:`).
  pattern: /^(?:traps: )?(?<process>.*)\[(?<pid>\d+)\] general protection(?: fault)? r?ip:/,
  build: buildSegfault,
  samples: [
    {
      line: 'traps: node[1234] general protection fault ip:7f0a1c2b3d4e sp:7ffd0a0b0c0d error:0 in libc.so.6[7f0a1c000000+195000]',
      expect: { process: 'node', pid: 1234 },
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
  pattern:
    /^(?:traps: )?(?<process>.*)\[(?<pid>\d+)\] trap (?<trap>invalid opcode|divide error|stack segment|bounds|overflow) /,
  build: buildSegfault,
  samples: [
    {
      line: 'traps: rustc[4567] trap invalid opcode ip:55d3a0 sp:7ffc10 error:0 in rustc[55d3a0000+1000]',
      expect: { process: 'rustc', pid: 4567 },
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

export const kernelCrashTable: RecogniserTable = {
  id: 'kernel-crash',
  recognisers: [kernelSegfault, kernelGeneralProtection, kernelTrap],
};
