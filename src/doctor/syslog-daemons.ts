// rsyslog and syslog-ng: whether one is installed and running, whether it reads the kernel's messages at all, and
// which files keep them (the kernel's OOM lines are logged at priority err, facility kern). The files found here are
// the ones whose rotation the logrotate check looks at.
import { type Check, check } from './check.js';
import { type ProcessTable, running } from './processes.js';
import type { RootFs } from './root-fs.js';

export interface SyslogFacts {
  readonly daemon: 'rsyslog' | 'syslog-ng' | null;
  /** Running now; null when /proc could not tell. */
  readonly running: boolean | null;
  /** It receives kernel messages (rsyslog: imklog or imjournal loaded; syslog-ng: system() or a kmsg source). */
  readonly readsKernel: boolean;
  /** Files its rules write kernel messages of priority err to. */
  readonly kernelFiles: readonly string[];
  readonly configFiles: readonly string[];
}

/** syslog(3) priorities, most severe first: a selector `kern.warning` keeps warning and everything above it. */
const PRIORITIES: Record<string, number> = {
  emerg: 0,
  panic: 0,
  alert: 1,
  crit: 2,
  err: 3,
  error: 3,
  warning: 4,
  warn: 4,
  notice: 5,
  info: 6,
  debug: 7,
};
/** The kernel prints `Out of memory: Killed process …` at KERN_ERR. */
const KILL_PRIORITY = PRIORITIES.err!;

/** Whether a legacy selector (`*.*;auth,authpriv.none`, `kern.*`, `*.info;mail.none`) keeps kern.err. */
export function selectsKernelErr(selector: string): boolean {
  let selected = false;
  for (const part of selector.split(';')) {
    const dot = part.lastIndexOf('.');
    if (dot < 0) continue;
    const facilities = part.slice(0, dot).split(',');
    if (!facilities.includes('kern') && !facilities.includes('*')) continue;
    let spec = part.slice(dot + 1).toLowerCase();
    if (spec === 'none') {
      selected = false;
      continue;
    }
    const negated = spec.startsWith('!');
    if (negated) spec = spec.slice(1);
    const exact = spec.startsWith('=');
    if (exact) spec = spec.slice(1);
    const level = spec === '*' ? 7 : PRIORITIES[spec];
    if (level === undefined) continue;
    const admits = exact ? level === KILL_PRIORITY : KILL_PRIORITY <= level;
    if (negated) {
      if (admits) selected = false;
    } else if (admits) selected = true;
  }
  return selected;
}

const SELECTOR_LINE = /^(?<selector>[^\s$#(]*\.[^\s]+)\s+(?<action>\S.*)$/;
const OMFILE = /file="(?<path>[^"]+)"/;
const FACILITY_KERN = /\$syslogfacility(?:-text)?\s*==\s*(?:'kern'|"kern"|0)\b/;

/** The file a rule's action writes to, or null (a remote host, a user's terminal, a discard). */
function fileOfAction(action: string): string | null {
  const omfile = OMFILE.exec(action)?.groups?.path;
  if (omfile) return omfile;
  const plain = /^-?(?<path>\/\S+)/.exec(action.trim())?.groups?.path;
  return plain ?? null;
}

export function rsyslogKernelFiles(text: string): { files: string[]; readsKernel: boolean } {
  const files: string[] = [];
  let readsKernel = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/imklog|imjournal/.test(line) && /load|ModLoad/i.test(line)) readsKernel = true;
    if (FACILITY_KERN.test(line)) {
      const path = fileOfAction(line.slice(line.indexOf(' then ') + 6));
      if (path) files.push(path);
      continue;
    }
    const match = SELECTOR_LINE.exec(line);
    if (!match?.groups || !selectsKernelErr(match.groups.selector!)) continue;
    const path = fileOfAction(match.groups.action!);
    if (path && !path.startsWith('/dev/')) files.push(path);
  }
  return { files, readsKernel };
}

export function syslogNgKernelFiles(text: string): { files: string[]; readsKernel: boolean } {
  const readsKernel = /\bsystem\(\s*\)|\/proc\/kmsg|\/dev\/kmsg/.test(text);
  const files = [...text.matchAll(/file\(\s*"(?<path>\/var\/log\/[^"]+)"/g)].map((m) => m.groups!.path!);
  // Without a facility(kern) filter, a log path with no filter keeps everything; both count as keeping kern.
  const kernelKept = /facility\(\s*kern\s*\)/.test(text) || /log\s*\{(?:(?!filter\()[^}])*\}/.test(text);
  return { files: kernelKept ? files.filter((f) => /kern|messages|syslog/.test(f)) : [], readsKernel };
}

async function readAll(
  fs: RootFs,
  main: string,
  dropInDir: string,
): Promise<{ text: string; files: string[] }> {
  const files: string[] = [];
  let text = '';
  for (const path of [
    main,
    ...(await fs.list(dropInDir)).filter((n) => n.endsWith('.conf')).map((n) => `${dropInDir}/${n}`),
  ]) {
    const content = await fs.text(path);
    if (content === null) continue;
    files.push(path);
    text += `${content}\n`;
  }
  return { text, files };
}

export async function readSyslogFacts(fs: RootFs, processes: ProcessTable): Promise<SyslogFacts> {
  const isRunning = (comm: string) => (processes.readable ? running(processes, comm) !== undefined : null);
  const rsyslog = await readAll(fs, '/etc/rsyslog.conf', '/etc/rsyslog.d');
  if (rsyslog.files.includes('/etc/rsyslog.conf')) {
    const { files, readsKernel } = rsyslogKernelFiles(rsyslog.text);
    return {
      daemon: 'rsyslog',
      running: isRunning('rsyslogd'),
      readsKernel,
      kernelFiles: [...new Set(files)],
      configFiles: rsyslog.files,
    };
  }
  const ng = await readAll(fs, '/etc/syslog-ng/syslog-ng.conf', '/etc/syslog-ng/conf.d');
  if (ng.files.includes('/etc/syslog-ng/syslog-ng.conf')) {
    const { files, readsKernel } = syslogNgKernelFiles(ng.text);
    return {
      daemon: 'syslog-ng',
      running: isRunning('syslog-ng'),
      readsKernel,
      kernelFiles: [...new Set(files)],
      configFiles: ng.files,
    };
  }
  return { daemon: null, running: null, readsKernel: false, kernelFiles: [], configFiles: [] };
}

/** True when the syslog daemon keeps the kernel's OOM lines in a file, as far as its config and /proc say. */
export function syslogKeepsKernel(facts: SyslogFacts): boolean {
  return (
    facts.daemon !== null && facts.running !== false && facts.readsKernel && facts.kernelFiles.length > 0
  );
}

/** `journalKeeps`: a persistent journal keeps the kernel's lines, so a missing syslog daemon loses nothing. */
export function syslogCheck(facts: SyslogFacts, journalKeeps: boolean): Check {
  const title = 'syslog daemon';
  const why =
    'a syslog file (kern.log, syslog, messages) keeps the kernel OOM lines as text, readable with no journal';
  if (facts.daemon === null) {
    return check(
      'syslog',
      title,
      journalKeeps ? 'ok' : 'warn',
      `neither rsyslog nor syslog-ng is installed (Debian 12 and later ship none)${journalKeeps ? '; the persistent journal keeps kernel messages' : ''}`,
      `${why}; without one, the journal alone must keep them`,
      'apt-get install rsyslog   (or: dnf install rsyslog), then systemctl enable --now rsyslog',
    );
  }
  const service = facts.daemon;
  if (facts.running === false) {
    return check(
      'syslog',
      title,
      'warn',
      `${service} is installed but not running`,
      `${why}, but only while the daemon runs`,
      `systemctl enable --now ${service}`,
    );
  }
  if (!facts.readsKernel) {
    return check(
      'syslog',
      title,
      'warn',
      `${service} loads no kernel input (${service === 'rsyslog' ? 'no imklog or imjournal module' : 'no system() source'})`,
      'without a kernel input the daemon never sees the OOM killer, whatever its rules say',
      service === 'rsyslog'
        ? 'add module(load="imklog") to /etc/rsyslog.conf, then systemctl restart rsyslog'
        : 'add system(); to the source of /etc/syslog-ng/syslog-ng.conf, then systemctl restart syslog-ng',
    );
  }
  if (facts.kernelFiles.length === 0) {
    return check(
      'syslog',
      title,
      'warn',
      `${service} runs, but no rule writes kernel messages (kern.err) to a file`,
      why,
      service === 'rsyslog'
        ? 'add the line `kern.*  -/var/log/kern.log` to /etc/rsyslog.d/50-kern.conf, then systemctl restart rsyslog'
        : 'add a log path with filter(f_kern) and destination(d_kern) (file("/var/log/kern.log")), then systemctl restart syslog-ng',
    );
  }
  return check(
    'syslog',
    title,
    'ok',
    `${service}${facts.running ? ' runs' : ''}; kernel messages go to ${facts.kernelFiles.join(', ')}`,
    why,
  );
}
