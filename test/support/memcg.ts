// The real-kernel tests' throw-away memory cgroups: the guard's own module (src/guard/memcg.ts), with names marked
// `oomsleuth-e2e-<pid>-…` so a leftover of a killed test run is told apart from a guard's cgroup and swept.
import { memcgName as guardMemcgName } from '../../src/guard/memcg.js';

export {
  type Availability,
  type CgroupVersion,
  createMemcg,
  findOwnMemcg,
  locateMemcg,
  type Memcg,
  memcgAvailable,
  type OwnMemcg,
  readCounter,
} from '../../src/guard/memcg.js';

/** Prefix of the test cgroups' names. */
export const MEMCG_PREFIX = 'oomsleuth-e2e-';

/** A unique test cgroup name with the creator's PID (so a stale one can be recognised). */
export function memcgName(label = 'oom'): string {
  return guardMemcgName(label, 'e2e');
}
