// Build step after tsc: copies the chart library's minified script and stylesheet from node_modules/uplot into
// dist/pictures/vendor, where src/pictures/chart-assets.ts finds them (the HTML report inlines them; no CDN).
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { VENDORED } from '../src/pictures/chart-assets.js';

const require = createRequire(import.meta.url);
const target = fileURLToPath(new URL('../dist/pictures/vendor/', import.meta.url));
await mkdir(target, { recursive: true });
for (const name of Object.values(VENDORED)) {
  await copyFile(require.resolve(`uplot/dist/${name}`), `${target}${name}`);
}
