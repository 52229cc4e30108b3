// The package version: read once from package.json next to dist/, or, in the single executable (which has no
// package.json beside it), the constant scripts/build-dist.ts writes into the bundle.
import { readFileSync } from 'node:fs';

declare const OOMSLEUTH_BUNDLED_VERSION: string | undefined;

export const VERSION: string =
  typeof OOMSLEUTH_BUNDLED_VERSION === 'string'
    ? OOMSLEUTH_BUNDLED_VERSION
    : (
        JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
          version: string;
        }
      ).version;
