// A fake machine for doctor's tests: a folder standing for `/`, with just the files a case needs. HEALTHY is a
// Debian server that keeps everything; each case changes a few files of it.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Path on the fake machine → its text; null makes a folder; undefined leaves it out. */
export type Tree = Readonly<Record<string, string | null | undefined>>;

export const DEBIAN_RSYSLOG = `module(load="imuxsock")
module(load="imklog")
$IncludeConfig /etc/rsyslog.d/*.conf
*.*;auth,authpriv.none		-/var/log/syslog
auth,authpriv.*			/var/log/auth.log
cron.*				-/var/log/cron.log
kern.*				-/var/log/kern.log
mail.*				-/var/log/mail.log
*.emerg				:omusrmsg:*
`;

export const DEBIAN_LOGROTATE_RSYSLOG = `/var/log/syslog
/var/log/mail.log
/var/log/kern.log
/var/log/auth.log
/var/log/cron.log
{
	rotate 4
	weekly
	missingok
	notifempty
	compress
	delaycompress
	sharedscripts
	postrotate
		/usr/lib/rsyslog/rsyslog-rotate
	endscript
}
`;

export const HEALTHY: Tree = {
  '/etc/systemd/journald.conf': '[Journal]\n#Storage=auto\n#SystemMaxUse=\n',
  '/var/log/journal': null,
  '/etc/rsyslog.conf': DEBIAN_RSYSLOG,
  '/etc/rsyslog.d': null,
  '/etc/logrotate.conf': 'weekly\nrotate 4\ncreate\ninclude /etc/logrotate.d\n',
  '/etc/logrotate.d/rsyslog': DEBIAN_LOGROTATE_RSYSLOG,
  '/proc/1/comm': 'systemd\n',
  '/proc/310/comm': 'rsyslogd\n',
  '/proc/4242/comm': 'anqicms\n',
  '/proc/4242/status': 'Name:\tanqicms\nVmPeak:\t  912000 kB\nVmRSS:\t  524288 kB\n',
  '/proc/sys/kernel/dmesg_restrict': '0\n',
  '/proc/sys/vm/oom_dump_tasks': '1\n',
  '/proc/sys/vm/panic_on_oom': '0\n',
  '/proc/sys/vm/overcommit_memory': '0\n',
  '/proc/swaps':
    'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/swapfile                               file\t\t1048572\t\t0\t\t-2\n',
  '/proc/meminfo': 'MemTotal:        2014000 kB\nMemFree:          300000 kB\nMemAvailable:    1200000 kB\n',
  '/srv/anqicms/check.log':
    '20240723 10:04:01 anqicms PID check: 1\n20240723 10:05:01 anqicms PID check: 1\n',
  '/srv/anqicms/start.sh': '#!/bin/bash\n',
  '/etc/crontab': 'SHELL=/bin/sh\n*/1 * * * * root /srv/anqicms/start.sh\n',
};

/** Writes `tree` (HEALTHY changed by `changes`) into a new temporary folder; returns that folder. */
export async function fakeRoot(changes: Tree = {}, base: Tree = HEALTHY): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'oomsleuth-doctor-'));
  const merged: Record<string, string | null | undefined> = { ...base, ...changes };
  for (const [path, content] of Object.entries(merged)) {
    if (content === undefined) continue;
    const onDisk = join(root, path);
    if (content === null) await mkdir(onDisk, { recursive: true });
    else {
      await mkdir(dirname(onDisk), { recursive: true });
      await writeFile(onDisk, content);
    }
  }
  return root;
}
