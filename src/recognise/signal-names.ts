// Linux signal numbers (x86, arm, the generic table) for records that print a number where a name is wanted:
// upstart's `killed by signal 11`, systemd's `status=11` without its `/SEGV`, audit's `sig=11`.

const NAMES: Readonly<Record<number, string>> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  10: 'SIGUSR1',
  11: 'SIGSEGV',
  12: 'SIGUSR2',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
  31: 'SIGSYS',
};

/** `11` → `SIGSEGV`; a number without a known name → `signal 64`. */
export function signalName(signal: number): string {
  return NAMES[signal] ?? `signal ${signal}`;
}
