// The chart library's script and stylesheet, inlined into every page (no CDN, no request). The build copies them from
// node_modules/uplot into dist/pictures/vendor (scripts/vendor-assets.ts); run from source they are read from
// node_modules. This module is the one place that finds them, so a single-file build can hand them over instead.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { embeddedAsset } from '../embedded.js';

export interface ChartAssets {
  /** uPlot's minified IIFE build: defines the global `uPlot`. */
  readonly script: string;
  readonly style: string;
}

/** The file names in dist/pictures/vendor, as scripts/vendor-assets.ts writes them. */
export const VENDORED = { script: 'uPlot.iife.min.js', style: 'uPlot.min.css' } as const;

let provided: ChartAssets | null = null;
let loading: Promise<ChartAssets> | null = null;

export function loadChartAssets(): Promise<ChartAssets> {
  if (provided) return Promise.resolve(provided);
  // The single executable carries them (scripts/build-dist.ts): no file to look for.
  const script = embeddedAsset(VENDORED.script);
  const style = embeddedAsset(VENDORED.style);
  if (script !== null && style !== null) {
    provided = { script: script.toString('utf8'), style: style.toString('utf8') };
    return Promise.resolve(provided);
  }
  loading ??= readAssets();
  return loading;
}

async function readAssets(): Promise<ChartAssets> {
  const vendored = (name: string) => fileURLToPath(new URL(`./vendor/${name}`, import.meta.url));
  try {
    const [script, style] = await Promise.all([
      readFile(vendored(VENDORED.script), 'utf8'),
      readFile(vendored(VENDORED.style), 'utf8'),
    ]);
    return { script, style };
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
  }
  // Run from src/ (tests, tsx): the package's own copy.
  const require = createRequire(import.meta.url);
  try {
    const [script, style] = await Promise.all([
      readFile(require.resolve(`uplot/dist/${VENDORED.script}`), 'utf8'),
      readFile(require.resolve(`uplot/dist/${VENDORED.style}`), 'utf8'),
    ]);
    return { script, style };
  } catch (error) {
    throw new Error(
      `the chart library (uPlot) is missing: neither ${vendored(VENDORED.script)} nor node_modules/uplot could be read — reinstall oomsleuth, or run \`npm run build\` in a clone`,
      { cause: error },
    );
  }
}
