// Seeded randomness for the input generators: one seed writes byte-identical inputs, so a cached file can be
// trusted and a planted kill sits at the same place on every machine.

export interface Random {
  /** Uniform in [0, 1). */
  float(): number;
  /** An integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: tiny and fast (one multiply-xorshift round per draw), plenty for scattering log noise. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const float = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    float,
    int: (lo, hi) => lo + Math.floor(float() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(float() * items.length)]!,
  };
}

/** FNV-1a of a label mixed into the run's seed: each generator draws from its own stream. */
export function deriveSeed(seed: number, label: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** `n` lowercase hex digits (journal ids, cursors). */
export function hexString(random: Random, n: number): string {
  let out = '';
  while (out.length < n) out += random.int(0, 0xffff).toString(16).padStart(4, '0');
  return out.slice(0, n);
}
