// Whether a stream gets colours: NO_COLOR and FORCE_COLOR first (no-color.org), else only a terminal.
export function colorWanted(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
