// What watch tells the operator on stderr: one line per thing that happened, stamped, with the error code when there
// is one. stdout stays for --json incidents.
import { formatIso } from '../clock/zone.js';
import type { ErrorCode } from '../errors.js';
import { printable } from '../report/printable.js';

export type LogLevel = 'info' | 'warn' | 'error';

export type Logger = (level: LogLevel, message: string, code?: ErrorCode | null) => void;

export function stderrLogger(
  zone: string,
  write: (text: string) => void = (t) => process.stderr.write(t),
): Logger {
  return (level, message, code) => {
    const label =
      level === 'info' ? '' : `${level === 'warn' ? 'warning' : 'error'}${code ? ` [${code}]` : ''}: `;
    // Messages quote log text (a process name, a line): as text only.
    write(`${formatIso(Date.now(), zone)} oomsleuth watch: ${label}${printable(message)}\n`);
  };
}
