// oom-daemon: systemd-oomd, earlyoom or oomd killed it. earlyoom SIGTERMs first, so the app may have printed its
// normal shutdown line: this rule runs before `stopped`.
import type { CauseRule } from './death-case.js';

export const oomDaemonRule: CauseRule = (death) =>
  death.daemonKill
    ? {
        cause: 'oom-daemon',
        confidence: 'confirmed',
        reason: { kind: 'daemon-kill' },
        because: death.daemonKill,
      }
    : null;
