// Who wrote a record in the kernel log: the kernel itself, or userspace writing into /dev/kmsg (systemd, oomd).
import type { FramedFields } from './line-framer.js';
import { parseTagPrefix } from './syslog-tail.js';

const KERNEL = 'kernel';

/**
 * Kernel text gets ident `kernel`. Userspace may write into the kernel log (/dev/kmsg): the kernel gives such records a
 * non-kernel facility (user), and they usually start with `name[pid]: ` (systemd), which becomes ident and pid.
 */
export function kernelLogSender(
  facility: number,
  body: string,
): Pick<FramedFields, 'ident' | 'pid' | 'message'> {
  if (facility === 0) return { ident: KERNEL, pid: null, message: body };
  const tag = parseTagPrefix(body);
  return tag === null ? { ident: null, pid: null, message: body } : tag;
}
