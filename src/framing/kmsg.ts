// /dev/kmsg records: `prio,seq,usec,flag[,more];text`, with `\xNN` escapes and indented dictionary lines after a record.
import type { Carrier } from './carrier.js';
import { cleanLineText, isIndented } from './clean-line.js';
import { kernelLogSender } from './kernel-log-sender.js';
import { createLineFramer, NOT_AN_ENTRY, type PrefixParser } from './line-framer.js';

const KMSG_RECORD =
  /^(?<prio>\d{1,4}),(?<seq>\d{1,20}),(?<usec>\d{1,20}),(?<flag>[^,;]{0,8})(?:,[^;]*)?;(?<text>.*)$/s;
const ESCAPE = /\\x(?<hex>[0-9a-fA-F]{2})/g;
const NEWLINE_ESCAPE = /\\x0a/i;
const encoder = new TextEncoder();
// Not fatal: escaped bytes that are not UTF-8 become U+FFFD rather than an exception.
const decoder = new TextDecoder('utf-8');

/**
 * The record's text with `\xNN` escapes turned back into bytes and decoded as UTF-8 (the kernel escapes control bytes,
 * bytes ≥ 0x7f and the backslash itself). A record with an embedded newline (`\x0a`) keeps only its first line: dmesg
 * and the journal show the rest as separate lines, so the first line is the body they share (the dedupe key across
 * carriers), recognisers match one line at a time, and one physical line can give only one record.
 */
export function unescapeKmsgText(text: string): string {
  const newline = text.search(NEWLINE_ESCAPE);
  const firstLine = newline < 0 ? text : text.slice(0, newline);
  if (!firstLine.includes('\\x')) return firstLine;
  const bytes: number[] = [];
  let from = 0;
  for (const match of firstLine.matchAll(ESCAPE)) {
    for (const byte of encoder.encode(firstLine.slice(from, match.index))) bytes.push(byte);
    bytes.push(Number.parseInt(match.groups?.hex ?? '3f', 16));
    from = match.index + match[0].length;
  }
  for (const byte of encoder.encode(firstLine.slice(from))) bytes.push(byte);
  return decoder.decode(Uint8Array.from(bytes));
}

const parseKmsg: PrefixParser = (text) => {
  // ` SUBSYSTEM=virtio`, ` DEVICE=+virtio:virtio1`: dictionary of the previous record, not an entry of its own.
  if (isIndented(text)) return NOT_AN_ENTRY;
  const first = text.charCodeAt(0);
  if (first < 0x30 || first > 0x39 || !text.includes(';')) return null;
  const groups = KMSG_RECORD.exec(text)?.groups;
  if (groups === undefined) return null;
  const prio = Number(groups.prio);
  const seconds = Number(groups.usec) / 1e6;
  const seq = Number(groups.seq);
  return {
    stamp: { kind: 'monotonic', seconds },
    monotonic: seconds,
    priority: prio & 7,
    seq: Number.isSafeInteger(seq) ? seq : null,
    ...kernelLogSender(prio >> 3, unescapeKmsgText(groups.text ?? '')),
  };
};

export const kmsg: Carrier = {
  format: 'kmsg',
  kind: 'kernel',
  sniff(raw) {
    const text = cleanLineText(raw);
    return !isIndented(text) && parseKmsg(text) !== null;
  },
  createFramer(sourceId) {
    return createLineFramer({
      sourceId,
      parse: parseKmsg,
      continuation: false,
      unparsedIdent: 'kernel',
      glueOomKill: true,
    });
  },
  samples: [
    '4,345,127550964,-;anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    '6,421,127553520,-;[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name',
    '3,424,127553604,-;Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    '5,284,414226,-;virtio_blk virtio1: [vda] 536870912 512-byte logical blocks (275 GB/256 GiB)',
    '4,287,417206,-;amd_pstate: The CPPC feature is supported but currently disabled by the BIOS.\\x0aPlease enable it if your BIOS has the CPPC option.',
  ],
};
