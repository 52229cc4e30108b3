// Which two adjacent bytes of each needle the scanner looks for first. The scanner has 8 buckets; a bucket
// holding one byte pair matches exactly that pair, a shared bucket matches every mix of their nibbles. So: cover
// all needles with as few, and as rare, pairs as possible — rare in this very file, judged from its first lines.

/** The scanner's bucket count. */
export const BUCKETS = 8;

export interface Anchor {
  /** Offset of the pair in the needle. */
  readonly offset: number;
  /** Bucket index (0–7). */
  readonly bucket: number;
}

/** Byte-pair counts of sample text: pair (a, b) at index a * 256 + b. */
export function pairFrequencies(sample: readonly Uint8Array[]): Uint32Array {
  const counts = new Uint32Array(65536);
  for (const bytes of sample)
    for (let i = 0; i + 1 < bytes.length; i++)
      counts[((bytes[i] as number) << 8) | (bytes[i + 1] as number)]!++;
  return counts;
}

/**
 * An anchor per needle: a greedy weighted set cover picks pairs by (occurrences in the sample + 1) per needle
 * newly covered; each chosen pair gets a bucket (rarest first; past 8, pairs share buckets round-robin).
 */
export function chooseAnchors(needles: readonly Uint8Array[], frequencies: Uint32Array): Anchor[] {
  const pairsOf = needles.map((needle) => {
    const pairs = new Map<number, number>();
    for (let i = 0; i + 1 < needle.length; i++) {
      const pair = ((needle[i] as number) << 8) | (needle[i + 1] as number);
      if (!pairs.has(pair)) pairs.set(pair, i);
    }
    return pairs;
  });
  const uncovered = new Set(needles.keys());
  const chosen: number[] = [];
  while (uncovered.size > 0) {
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    const gain = new Map<number, number>();
    for (const k of uncovered)
      for (const pair of pairsOf[k]!.keys()) gain.set(pair, (gain.get(pair) ?? 0) + 1);
    for (const [pair, covers] of gain) {
      const cost = ((frequencies[pair] as number) + 1) / covers;
      if (cost < bestCost) {
        bestCost = cost;
        best = pair;
      }
    }
    chosen.push(best);
    for (const k of [...uncovered]) if (pairsOf[k]!.has(best)) uncovered.delete(k);
  }
  const bucketOf = new Map(
    [...chosen]
      .sort((a, b) => (frequencies[a] as number) - (frequencies[b] as number))
      .map((pair, i) => [pair, i % BUCKETS]),
  );
  return needles.map((_, k) => {
    const pairs = pairsOf[k]!;
    // The rarest chosen pair the needle holds.
    const pair = chosen
      .filter((p) => pairs.has(p))
      .sort((a, b) => (frequencies[a] as number) - (frequencies[b] as number))[0]!;
    return { offset: pairs.get(pair)!, bucket: bucketOf.get(pair)! };
  });
}
