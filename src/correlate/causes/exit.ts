// How a death's exit status reads, for the rules that look at it.
import type { DeathCase } from './death-case.js';

/** Signals the process did not ask for and cannot have meant as a stop: its own fault. */
export const FAULT_SIGNALS: ReadonlySet<string> = new Set([
  'SIGSEGV',
  'SIGBUS',
  'SIGILL',
  'SIGFPE',
  'SIGABRT',
  'SIGSYS',
  'SIGTRAP',
]);

/** Signals a person or a service manager stops a process with (AnQiCMS catches all four and prints its shutdown line). */
export const STOP_SIGNALS: ReadonlySet<string> = new Set(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT']);

/** The parent saw a SIGKILL, or the observer was not the parent and could not see how it ended. */
export function endedBySigkillOrUnknown(death: DeathCase): boolean {
  return death.exit === null || !death.exit.known || death.exit.signal === 'SIGKILL';
}

/** What the process printed is `confirmed` unless the observer could not see it end (an adopted process). */
export function wordsConfidence(death: DeathCase): 'confirmed' | 'likely' {
  return death.exit !== null && !death.exit.known ? 'likely' : 'confirmed';
}
