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

/**
 * Expected occurrences of a gram in the sample, in hundredths: what was counted, plus a prior from the bytes' shape.
 * Whole numbers: choosing anchors runs before the code is optimised, where every fraction is a heap allocation.
 */
function estimate(gram: readonly number[], counts: GramCounts): number {
  const a = gram[0] as number;
  const b = gram[1] as number;
  if (gram.length === 2) return estimatePair(a, b, counts);
  return estimateTriple(a, b, gram[2] as number, counts);
}

function estimatePair(a: number, b: number, counts: GramCounts): number {
  return 100 * (counts.pairs.get((a << 8) | b) ?? 0) + weight(a) * weight(b) * 6;
}

function estimateTriple(a: number, b: number, c: number, counts: GramCounts): number {
  return 100 * (counts.triples.get((((a << 8) | b) << 8) | c) ?? 0) + weight(a) * weight(b) * weight(c);
}

/** A gram as one number: its bytes, and a bit above them for a pair. */
const keyOf = (gram: readonly number[]): number =>
  gram.length === 2
    ? (1 << 24) | ((gram[0] as number) << 8) | (gram[1] as number)
    : ((gram[0] as number) << 16) | ((gram[1] as number) << 8) | (gram[2] as number);

/**
 * An anchor per needle: a greedy weighted set cover picks triples by estimated frequency per needle newly
 * covered; then groups are merged, cheapest added nibble mixes first, until at most 8 remain.
 */
export function chooseAnchors(needles: readonly Uint8Array[], counts: GramCounts): Anchor[] {
  const gramsOf = needles.map((needle) => {
    const grams = new Map<number, { gram: number[]; offset: number }>();
    const size = needle.length >= 3 ? 3 : 2;
    for (let i = 0; i + size <= needle.length; i++) {
      const gram = [...needle.subarray(i, i + size)];
      if (!grams.has(keyOf(gram))) grams.set(keyOf(gram), { gram, offset: i });
    }
    return grams;
  });
  const uncovered = new Set(needles.keys());
  const chosen = new Map<number, number[]>();
  while (uncovered.size > 0) {
    const gain = new Map<number, { gram: number[]; covers: number }>();
    for (const k of uncovered) {
      for (const [key, { gram }] of gramsOf[k]!) {
        const entry = gain.get(key) ?? { gram, covers: 0 };
        entry.covers++;
        gain.set(key, entry);
      }
    }
    // The least estimate per needle covered: estimate / covers, compared crosswise to stay in whole numbers.
    let best: { key: number; gram: number[] } | null = null;
    let bestEstimate = 0;
    let bestCovers = 0;
    for (const [key, { gram, covers }] of gain) {
      const cost = estimate(gram, counts);
      if (best === null || cost * bestCovers < bestEstimate * covers) {
        bestEstimate = cost;
        bestCovers = covers;
        best = { key, gram };
      }
    }
    if (best === null) break;
    chosen.set(best.key, best.gram);
    for (const k of [...uncovered]) if (gramsOf[k]!.has(best.key)) uncovered.delete(k);
  }

  const groups = clusterIntoBuckets([...chosen.values()], counts);
  const bucketOf = new Map<number, number>();
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
  // Groups are numbered as they are made; a pair's cost is remembered under both numbers.
  let made = 0;
  let groups = grams.map((gram) => ({ grams: [gram], id: made++, cost: mixCost([gram], counts) }));
  const memo = new Map<number, number>();
  const limit = 2 * grams.length;
  while (groups.length > BUCKETS) {
    let bestI = -1;
    let bestJ = -1;
    let bestCost = 0;
    let bestAdded = 0;
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const a = groups[i]!;
        const b = groups[j]!;
        const key = a.id * limit + b.id;
        let cost = memo.get(key);
        if (cost === undefined) {
          cost = mixCost([...a.grams, ...b.grams], counts);
          memo.set(key, cost);
        }
        const added = cost - a.cost - b.cost;
        if (bestI < 0 || added < bestAdded) {
          bestI = i;
          bestJ = j;
          bestCost = cost;
          bestAdded = added;
        }
      }
    }
    const merged = { grams: [...groups[bestI]!.grams, ...groups[bestJ]!.grams], id: made++, cost: bestCost };
    groups = groups.filter((_, k) => k !== bestI && k !== bestJ);
    groups.push(merged);
  }
  return groups.map((g) => g.grams);
}

/**
 * Estimated frequency of every gram a bucket holding these grams lets through (their nibble cross product). Called
 * for every pair of groups while clustering: it allocates no more than the three byte lists.
 */
function mixCost(grams: readonly number[][], counts: GramCounts): number {
  const positions = grams.some((g) => g.length === 2) ? 2 : 3;
  const b0 = bytesAt(grams, 0);
  const b1 = bytesAt(grams, 1);
  let total = 0;
  if (positions === 2) {
    for (const x of b0) for (const y of b1) total += estimatePair(x, y, counts);
    // A pair in a bucket of triples leaves its third stage open to every byte.
    return grams.some((g) => g.length === 3) ? total * 256 : total;
  }
  const b2 = bytesAt(grams, 2);
  for (const x of b0) for (const y of b1) for (const z of b2) total += estimateTriple(x, y, z, counts);
  return total;
}

/** Every byte whose high and low nibbles both occur at position `p` of some gram (high nibbles first seen first). */
function bytesAt(grams: readonly number[][], p: number): number[] {
  const lows: number[] = [];
  const highs: number[] = [];
  for (const g of grams) {
    const byte = g[p] as number;
    if (!lows.includes(byte & 15)) lows.push(byte & 15);
    if (!highs.includes(byte >> 4)) highs.push(byte >> 4);
  }
  const bytes: number[] = [];
  for (const h of highs) for (const l of lows) bytes.push((h << 4) | l);
  return bytes;
}
