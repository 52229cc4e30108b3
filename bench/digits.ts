// Integers written straight into a Buffer as ASCII digits. The journal writer prints four 15–16 digit numbers per
// entry (µs timestamps, in decimal and in hex for the cursor). `Number#toString` on such doubles, or digit loops
// in double arithmetic (`%` on doubles is a libm call), cost more than the rest of the entry; so a number is split
// into halves that fit 32-bit integer arithmetic.

const DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const scratch = new Uint8Array(16);

/** `n` (0 ≤ n < 2^31) in decimal, left-padded with zeros to `width`. */
function putDecimal31(out: Buffer, at: number, n: number, width: number): number {
  let i = scratch.length;
  let rest = n | 0;
  do {
    const quotient = (rest / 10) | 0;
    scratch[--i] = 48 + rest - quotient * 10;
    rest = quotient;
  } while (rest > 0);
  while (scratch.length - i < width) scratch[--i] = 48;
  for (let j = i; j < scratch.length; j++) out[at++] = scratch[j]!;
  return at;
}

/** `n` (0 ≤ n < 2^32) in hex, left-padded with zeros to `width`. */
function putHex32(out: Buffer, at: number, n: number, width: number): number {
  let i = scratch.length;
  let rest = n >>> 0;
  do {
    scratch[--i] = DIGITS[rest & 15]!;
    rest >>>= 4;
  } while (rest > 0);
  while (scratch.length - i < width) scratch[--i] = 48;
  for (let j = i; j < scratch.length; j++) out[at++] = scratch[j]!;
  return at;
}

/** Writes a non-negative integer (< 2^53) in decimal; returns the position after it. */
export function putDecimal(out: Buffer, at: number, value: number): number {
  if (value < 1e8) return putDecimal31(out, at, value, 1);
  const high = Math.floor(value / 1e8);
  const next = putDecimal31(out, at, high, 1);
  return putDecimal31(out, next, value - high * 1e8, 8);
}

/** Writes a non-negative integer (< 2^53) in lowercase hex without leading zeros; returns the position after it. */
export function putHex(out: Buffer, at: number, value: number): number {
  const high = Math.floor(value / 4294967296);
  if (high === 0) return putHex32(out, at, value, 1);
  const next = putHex32(out, at, high, 1);
  return putHex32(out, next, value - high * 4294967296, 8);
}
