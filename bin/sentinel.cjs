#!/usr/bin/env node
// CommonJS, as dist/main/cli.cjs is: no ESM loader on the way to `sentinel status` (build/build.mjs says why).
require('../dist/main/cli.cjs');
