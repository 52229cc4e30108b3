// Which lines of a system log the app in focus wrote itself: a service's stdout reaches syslog as
// `anqicms[1689]: panic: …` and the journal with `SYSLOG_IDENTIFIER=anqicms`, `_SYSTEMD_UNIT=anqicms.service`.
// They are the app's own log, read as running.log is.
import type { LogRecord } from '../framing/record.js';
import { isSystemIdent } from '../recognise/index.js';
import type { ScanOptions } from '../scan/scan-source.js';
import { mayConcernApp } from './app-unit.js';
import { sameProcessName, unitNamesApp } from './names.js';

const UNIT_SUFFIX = /\.(?<type>service|scope)$/;

/** A test for records the app wrote: its identifier is the app's name (cut to the kernel's 15 characters as `ps`
 * shows it), or the journal says it came from the app's unit (a `java` or `sh` identifier included), or the
 * identifier is the app's unit itself (journalctl -o with-unit). */
export function appRecordFilter(app: string): (record: LogRecord) => boolean {
  return (record) => {
    if (record.ident !== null && isSystemIdent(record.ident)) return false;
    if (record.unit !== null && unitNamesApp(record.unit, app)) return true;
    if (record.ident === null) return false;
    // `journalctl -o with-unit` prints the unit where the identifier would be: `shop-sync.service[2318]: …`.
    if (UNIT_SUFFIX.test(record.ident)) return unitNamesApp(record.ident, app);
    return sameProcessName(record.ident, app);
  };
}

/**
 * What the scan of a system log needs to know of the app in focus: which records it wrote itself, and which events
 * cannot concern it (another unit's job lines). No focus: nothing.
 */
export function appFocus(app: string | null): ScanOptions {
  if (app === null) return {};
  return { isAppRecord: appRecordFilter(app), mayConcernApp: (event) => mayConcernApp(event, app) };
}
