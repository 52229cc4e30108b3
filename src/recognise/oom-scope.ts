// The kernel's kill-line reason prefix and `oom-kill:constraint=` value, mapped to the contract's OOM scope.
import type { OomScope } from './event.js';

const SCOPE_BY_REASON: ReadonlyMap<string, OomScope> = new Map([
  ['memory cgroup out of memory', 'memcg'],
  ['out of memory', 'global'],
  // 2.4/2.6.early kernels capitalised "Memory"; lowered below, so the same key serves.
  ['out of memory (oom_kill_allocating_task)', 'global'],
  ['no available memory (mpol_bind)', 'mempolicy'],
  ['no available memory in cpuset', 'cpuset'],
]);

/** `Memory cgroup out of memory` → memcg, `Out of memory` → global, …; null when absent or unknown. */
export function scopeFromReason(reason: string | undefined): OomScope | null {
  if (reason === undefined) return null;
  return SCOPE_BY_REASON.get(reason.trim().toLowerCase()) ?? null;
}

const SCOPE_BY_CONSTRAINT: ReadonlyMap<string, OomScope> = new Map([
  ['CONSTRAINT_NONE', 'global'],
  ['CONSTRAINT_MEMCG', 'memcg'],
  ['CONSTRAINT_CPUSET', 'cpuset'],
  ['CONSTRAINT_MEMORY_POLICY', 'mempolicy'],
]);

/** `CONSTRAINT_NONE` → global, `CONSTRAINT_MEMCG` → memcg, …; null when unknown. */
export function scopeFromConstraint(constraint: string | undefined): OomScope | null {
  if (constraint === undefined) return null;
  return SCOPE_BY_CONSTRAINT.get(constraint) ?? null;
}
