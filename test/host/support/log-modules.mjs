// Preloaded with NODE_OPTIONS=--import: every module URL the process resolves is appended to $SENTINEL_TEST_MODULE_LOG.
import { register } from 'node:module';

register('./log-modules-hooks.mjs', import.meta.url);
