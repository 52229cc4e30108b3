// An instant as the wall-clock fields a zoneless log would have written (for "read live up to now" stamps).
import { DateTime } from 'luxon';
import type { LocalStamp } from '../framing/stamp.js';

export function localStampOf(ms: number, zone: string, withYear: boolean): LocalStamp {
  const dt = DateTime.fromMillis(ms, { zone });
  return {
    kind: 'local',
    year: withYear ? dt.year : null,
    month: dt.month,
    day: dt.day,
    hour: dt.hour,
    minute: dt.minute,
    second: dt.second,
    millis: dt.millisecond,
  };
}
