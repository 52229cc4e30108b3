// Counts on the command line: digits only, within the option's range.
import { invalid, type Parser, valid } from './option-spec.js';

export function wholeNumber(range: { readonly min: number; readonly max: number }): Parser<number> {
  return (text) => {
    const trimmed = text.trim();
    if (!/^\d+$/.test(trimmed))
      return invalid(`${JSON.stringify(text)} must be a whole number ≥ ${range.min}`);
    const n = Number(trimmed);
    if (n < range.min) return invalid(`${trimmed} is too small: at least ${range.min}`);
    if (n > range.max) return invalid(`${trimmed} is too large: at most ${range.max}`);
    return valid(n);
  };
}
