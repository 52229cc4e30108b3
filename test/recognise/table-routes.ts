// Where each table's lines live: the source kind and ident under which `recognise` must reach the table.
import type { SourceKind } from '../../src/contract/analysis.js';

export interface Route {
  readonly kind: SourceKind;
  readonly ident: string | null;
}

/** Table id → the routes that lead to it. Every table must be reachable (checked in registry.test.ts). */
export const ROUTES_BY_TABLE: Readonly<Record<string, readonly Route[]>> = {
  'kernel-oom': [
    { kind: 'kernel', ident: null },
    { kind: 'system', ident: 'kernel' },
    { kind: 'system', ident: null },
  ],
  'kernel-mem-info': [
    { kind: 'kernel', ident: null },
    { kind: 'system', ident: 'kernel' },
    { kind: 'system', ident: null },
  ],
  'kernel-crash': [
    { kind: 'kernel', ident: null },
    { kind: 'system', ident: 'kernel' },
    { kind: 'system', ident: 'audit' },
  ],
  'kernel-audit': [
    { kind: 'kernel', ident: null },
    { kind: 'system', ident: 'kernel' },
    { kind: 'system', ident: null },
  ],
  fboomd: [
    { kind: 'kernel', ident: null },
    { kind: 'system', ident: 'kernel' },
    { kind: 'system', ident: 'oomd' },
  ],
  systemd: [{ kind: 'system', ident: 'systemd' }],
  'systemd-oomd': [{ kind: 'system', ident: 'systemd-oomd' }],
  earlyoom: [{ kind: 'system', ident: 'earlyoom' }],
  // upstart 1.x writes to the kernel ring buffer, 0.6 logs as `init`.
  upstart: [
    { kind: 'kernel', ident: null },
    { kind: 'system', ident: 'kernel' },
    { kind: 'system', ident: 'init' },
  ],
  guardian: [{ kind: 'guardian', ident: null }],
  app: [{ kind: 'app', ident: null }],
};
