// One physical line of one input, as the sources hand it to framing.

/** Lines longer than this are cut (and counted), never buffered whole. */
export const MAX_LINE_BYTES = 64 * 1024;

export interface RawLine {
  /** Index of the input in the analysis' source list. */
  readonly sourceId: number;
  /** 1-based line number inside the (decompressed) input. */
  readonly lineNo: number;
  /** Decoded text without the line terminator (and without a trailing CR). Invalid UTF-8 becomes U+FFFD. */
  readonly text: string;
  /** True when the line was longer than MAX_LINE_BYTES and `text` holds only its beginning. */
  readonly truncated?: boolean;
}
