// The entry of the single executable (`npm run dist` bundles it as one CommonJS script for Node's single executable
// application support): the assets embedded beside the script — better-sqlite3's native addon, and whatever
// scripts/build-dist.ts adds — are offered to the rest of the code, then the command line runs as installed from npm.
import { getAsset, isSea } from 'node:sea';
import { registerEmbeddedAssets } from '../embedded.js';
import { runCli } from './run-cli.js';

// The bundle run by a plain node (to debug or measure it) has no assets: it then behaves as installed from npm.
if (isSea()) {
  registerEmbeddedAssets((name) => {
    try {
      return getAsset(name);
    } catch (error) {
      // getAsset throws for a name that was not embedded: to the caller that is "not in this executable".
      if ((error as NodeJS.ErrnoException).code === 'ERR_SINGLE_EXECUTABLE_APPLICATION_ASSET_NOT_FOUND')
        return null;
      throw error;
    }
  });
}

void runCli(process.argv).then((code) => {
  process.exitCode = code;
});
