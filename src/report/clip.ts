// A message quoted inside a sentence (a panic, the runtime's OOM abort) kept to one readable line.

/** `text` cut to `max` characters, ending with `…` when cut. */
export function clip(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
