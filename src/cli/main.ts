#!/usr/bin/env node
// The `oomsleuth` command installed by npm. No top-level await: the same code is bundled as CommonJS for the single
// executable (sea-main.ts), which cannot have it.
import { runCli } from './run-cli.js';

void runCli(process.argv).then((code) => {
  process.exitCode = code;
});
