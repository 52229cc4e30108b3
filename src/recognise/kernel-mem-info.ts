// The host's RAM and swap as a global OOM report states them (log-formats.md §1.4): the lines after `Mem-Info:` that
// say how big the machine was. The diagnosis reads them ("4.0 GiB of RAM, no swap"); the verdict never does.
import type { OomMemInfo } from './event.js';
import { toNumber } from './field-list.js';
import type { Recogniser } from './recogniser.js';
import type { RecogniserTable } from './table.js';

function memInfo(field: OomMemInfo['field']): Recogniser<OomMemInfo>['build'] {
  return (g, record) => {
    const value = toNumber(g.value);
    return value === null ? null : { type: 'oom.mem-info', record, field, value };
  };
}

export const swapFree: Recogniser<OomMemInfo> = {
  id: 'oom.mem-info.swap-free',
  type: 'oom.mem-info',
  guard: 'Free swap',
  // Two spaces before `=` since 2.6 (aligned under `Total swap`); 2.6.1x i386 also printed `Free swap:   NkB`.
  pattern: /^Free swap\s*[=:]\s*(?<value>\d+)kB\s*$/,
  build: memInfo('swap-free-kb'),
  samples: [
    { line: 'Free swap  = 0kB', expect: { field: 'swap-free-kb', value: 0 } },
    { line: 'Free swap  = 1894236kB', expect: { field: 'swap-free-kb', value: 1894236 } },
    { line: 'Free swap:            0kB', expect: { field: 'swap-free-kb', value: 0 } },
    { line: 'free swap: 0 of 0 MiB', expect: null },
  ],
};

export const swapTotal: Recogniser<OomMemInfo> = {
  id: 'oom.mem-info.swap-total',
  type: 'oom.mem-info',
  guard: 'Total swap',
  pattern: /^Total swap\s*=\s*(?<value>\d+)kB\s*$/,
  build: memInfo('swap-total-kb'),
  samples: [
    { line: 'Total swap = 0kB', expect: { field: 'swap-total-kb', value: 0 } },
    { line: 'Total swap = 979956kB', expect: { field: 'swap-total-kb', value: 979956 } },
  ],
};

export const pagesRam: Recogniser<OomMemInfo> = {
  id: 'oom.mem-info.pages-ram',
  type: 'oom.mem-info',
  guard: ' pages RAM',
  pattern: /^(?<value>\d+) pages RAM\s*$/,
  build: memInfo('ram-pages'),
  samples: [
    { line: '1048443 pages RAM', expect: { field: 'ram-pages', value: 1048443 } },
    { line: '507136 pages RAM', expect: { field: 'ram-pages', value: 507136 } },
    { line: '0 pages HighMem/MovableOnly', expect: null },
    { line: '41392 pages reserved', expect: null },
  ],
};

/** 2.6.1x–2.6.2x wording: `259712 pages of RAM`. */
export const pagesOfRam: Recogniser<OomMemInfo> = {
  id: 'oom.mem-info.pages-of-ram',
  type: 'oom.mem-info',
  guard: ' pages of RAM',
  pattern: /^(?<value>\d+) pages of RAM\s*$/,
  build: memInfo('ram-pages'),
  samples: [
    { line: '259712 pages of RAM', expect: { field: 'ram-pages', value: 259712 } },
    { line: '30336 pages of HIGHMEM', expect: null },
  ],
};

export const kernelMemInfoTable: RecogniserTable = {
  id: 'kernel-mem-info',
  gate: (m) => m.includes(' swap') || m.includes(' RAM'),
  recognisers: [swapFree, swapTotal, pagesRam, pagesOfRam],
};
