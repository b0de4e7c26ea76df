// The resolve hook behind log-modules.mjs (module hooks run off the main thread, so the log is a file).
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.SENTINEL_TEST_MODULE_LOG) appendFileSync(process.env.SENTINEL_TEST_MODULE_LOG, `${resolved.url}\n`);
  return resolved;
}
