// Early 5.0-rc kernels printed the `oom-kill:` summary as two records; the second starts with `,global_oom` or `,oom_memcg=`.

const SUMMARY_HEAD = 'oom-kill:';
const SPLIT_TAIL = /^,(?:global_oom|oom_memcg=)/;

/**
 * The message to record for `message` given the previous record's message: the two halves glued back into one summary
 * line when this is the split tail, else `message` unchanged. The head stays a record of its own (a framer cannot take
 * back a record it has returned), so the recogniser sees the partial summary first, then the whole one.
 */
export function glueSplitOomKill(previousMessage: string | null, message: string): string {
  if (previousMessage === null || message.charCodeAt(0) !== 0x2c) return message;
  if (!previousMessage.startsWith(SUMMARY_HEAD) || previousMessage.includes(',task=')) return message;
  return SPLIT_TAIL.test(message) ? previousMessage + message : message;
}
