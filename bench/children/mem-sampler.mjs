/**
 * Preloaded into the Sentinel daemon (`node --import`) when SENTINEL_BENCH_MEM_LOG=FILE is set: appends one JSON
 * line of process.memoryUsage() and V8 heap statistics every SENTINEL_BENCH_MEM_STEP_MS (5 s), so a soak can tell
 * JS heap growth (a leak) from native growth (SQLite, malloc) or V8 merely raising its heap. Bench-only: the
 * daemon's own code knows nothing of it.
 */
import { appendFileSync } from 'node:fs';
import v8 from 'node:v8';
const file = process.env.SENTINEL_BENCH_MEM_LOG;
const t0 = Date.now();
const sample = () => {
  const m = process.memoryUsage();
  const h = v8.getHeapStatistics();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]));
  appendFileSync(
    file,
    JSON.stringify({
      t: (Date.now() - t0) / 1000,
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      mallocedMemory: h.malloced_memory,
      heapLimit: h.heap_size_limit,
      spaces,
    }) + '\n',
  );
};
if (file) setInterval(sample, Number(process.env.SENTINEL_BENCH_MEM_STEP_MS ?? 5_000)).unref();
