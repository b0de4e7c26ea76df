#!/usr/bin/env node
// CommonJS, as dist/main/cli.cjs is: no ESM loader on the way to `sentinel status` (build/build.mjs says why).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS entry loads its program with require
require('../dist/main/cli.cjs');
