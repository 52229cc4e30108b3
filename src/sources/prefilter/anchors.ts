// Which three adjacent bytes of each needle the scanner looks for first, and in which of its 8 buckets. A
// bucket matches every mix of the nibbles of the byte triples it holds, so: cover all needles with few, rare
// triples, then group them into buckets whose mixes are rare too. "Rare" is judged from this very file's first
// lines, and from the shape of the bytes where those lines say nothing (a sample of 200 lines is small).

/** The scanner's bucket count. */
export const BUCKETS = 8;

export interface Anchor {
  /** Offset of the anchor in the needle. */
  readonly offset: number;
  /** 3, or 2 for a needle of two bytes (its third stage then lets any byte through). */
  readonly length: 2 | 3;
  /** Bucket index (0–7). */
  readonly bucket: number;
}

/** How often byte triples occur in sample text. */
export interface GramCounts {
  readonly triples: Map<number, number>;
  readonly pairs: Map<number, number>;
}

export function countGrams(sample: readonly Uint8Array[]): GramCounts {
  const triples = new Map<number, number>();
  const pairs = new Map<number, number>();
  for (const bytes of sample) {
    for (let i = 0; i + 1 < bytes.length; i++) {
      const pair = ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
      pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
      if (i + 2 < bytes.length) {
        const triple = (pair << 8) | (bytes[i + 2] as number);
        triples.set(triple, (triples.get(triple) ?? 0) + 1);
      }
    }
  }
  return { triples, pairs };
}

/** Rough share of a byte class in log text: lowercase and spaces are everywhere, capitals and punctuation rare. */
function weight(byte: number): number {
  if (byte === 0x20) return 8;
  if (byte >= 0x61 && byte <= 0x7a) return 7;
  if (byte >= 0x30 && byte <= 0x39) return 5;
  if (byte >= 0x80) return 3;
  return 2;
}

/** Expected occurrences of a gram in the sample: what was counted, plus a prior from the bytes' shape. */
function estimate(gram: readonly number[], counts: GramCounts): number {
  const a = gram[0] as number;
  const b = gram[1] as number;
  if (gram.length === 2) return (counts.pairs.get((a << 8) | b) ?? 0) + (weight(a) * weight(b) * 6) / 100;
  const c = gram[2] as number;
  return (counts.triples.get((((a << 8) | b) << 8) | c) ?? 0) + (weight(a) * weight(b) * weight(c)) / 100;
}

const keyOf = (gram: readonly number[]): string => gram.join(',');

/**
 * An anchor per needle: a greedy weighted set cover picks triples by estimated frequency per needle newly
 * covered; then groups are merged, cheapest added nibble mixes first, until at most 8 remain.
 */
export function chooseAnchors(needles: readonly Uint8Array[], counts: GramCounts): Anchor[] {
  const gramsOf = needles.map((needle) => {
    const grams = new Map<string, { gram: number[]; offset: number }>();
    const size = needle.length >= 3 ? 3 : 2;
    for (let i = 0; i + size <= needle.length; i++) {
      const gram = [...needle.subarray(i, i + size)];
      if (!grams.has(keyOf(gram))) grams.set(keyOf(gram), { gram, offset: i });
    }
    return grams;
  });
  const uncovered = new Set(needles.keys());
  const chosen = new Map<string, number[]>();
  while (uncovered.size > 0) {
    const gain = new Map<string, { gram: number[]; covers: number }>();
    for (const k of uncovered) {
      for (const [key, { gram }] of gramsOf[k]!) {
        const entry = gain.get(key) ?? { gram, covers: 0 };
        entry.covers++;
        gain.set(key, entry);
      }
    }
    let best: { key: string; gram: number[] } | null = null;
    let bestCost = Number.POSITIVE_INFINITY;
    for (const [key, { gram, covers }] of gain) {
      const cost = estimate(gram, counts) / covers;
      if (cost < bestCost) {
        bestCost = cost;
        best = { key, gram };
      }
    }
    if (best === null) break;
    chosen.set(best.key, best.gram);
    for (const k of [...uncovered]) if (gramsOf[k]!.has(best.key)) uncovered.delete(k);
  }

  const groups = clusterIntoBuckets([...chosen.values()], counts);
  const bucketOf = new Map<string, number>();
  groups.forEach((group, bucket) => {
    for (const gram of group) bucketOf.set(keyOf(gram), bucket);
  });
  return needles.map((_, k) => {
    // The rarest chosen gram the needle holds.
    const mine = [...gramsOf[k]!.values()]
      .filter(({ gram }) => chosen.has(keyOf(gram)))
      .sort((x, y) => estimate(x.gram, counts) - estimate(y.gram, counts))[0]!;
    return {
      offset: mine.offset,
      length: mine.gram.length as 2 | 3,
      bucket: bucketOf.get(keyOf(mine.gram))!,
    };
  });
}

/** Agglomerative grouping: merge the two groups whose nibble mixes add the least estimated frequency. */
function clusterIntoBuckets(grams: readonly number[][], counts: GramCounts): number[][][] {
  let groups = grams.map((gram) => ({ grams: [gram], key: keyOf(gram), cost: mixCost([gram], counts) }));
  const memo = new Map<string, number>();
  while (groups.length > BUCKETS) {
    let best: { i: number; j: number; cost: number; added: number } | null = null;
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const key = `${groups[i]!.key}|${groups[j]!.key}`;
        let cost = memo.get(key);
        if (cost === undefined) {
          cost = mixCost([...groups[i]!.grams, ...groups[j]!.grams], counts);
          memo.set(key, cost);
        }
        const added = cost - groups[i]!.cost - groups[j]!.cost;
        if (!best || added < best.added) best = { i, j, cost, added };
      }
    }
    const { i, j, cost } = best!;
    const merged = {
      grams: [...groups[i]!.grams, ...groups[j]!.grams],
      key: `${groups[i]!.key}|${groups[j]!.key}`,
      cost,
    };
    groups = groups.filter((_, k) => k !== i && k !== j);
    groups.push(merged);
  }
  return groups.map((g) => g.grams);
}

/** Estimated frequency of every gram a bucket holding these grams lets through (their nibble cross product). */
function mixCost(grams: readonly number[][], counts: GramCounts): number {
  const positions = grams.some((g) => g.length === 2) ? 2 : 3;
  const bytesAt = (p: number): number[] => {
    const lows = new Set(grams.map((g) => (g[p] as number) & 15));
    const highs = new Set(grams.map((g) => (g[p] as number) >> 4));
    return [...highs].flatMap((h) => [...lows].map((l) => (h << 4) | l));
  };
  const b0 = bytesAt(0);
  const b1 = bytesAt(1);
  let total = 0;
  if (positions === 2) {
    for (const x of b0) for (const y of b1) total += estimate([x, y], counts);
    // A pair in a bucket of triples leaves its third stage open to every byte.
    return grams.some((g) => g.length === 3) ? total * 256 : total;
  }
  const b2 = bytesAt(2);
  const gram = [0, 0, 0];
  for (const x of b0) {
    gram[0] = x;
    for (const y of b1) {
      gram[1] = y;
      for (const z of b2) {
        gram[2] = z;
        total += estimate(gram, counts);
      }
    }
  }
  return total;
}
