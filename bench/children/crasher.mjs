// Benchmark child: records a sub-millisecond wall-clock stamp when it starts and just before it exits with code 1.
// process.hrtime is per-process, so timeOrigin + now() is the clock two processes can compare.
import { appendFileSync } from 'node:fs';

const file = process.env.CRASH_LOG;
const lifeMs = Number(process.env.CRASH_LIFE_MS ?? '50');
if (!file) {
  console.error('crasher: CRASH_LOG is not set');
  process.exit(2);
}
const now = () => (performance.timeOrigin + performance.now()).toFixed(3);
appendFileSync(file, `start ${process.pid} ${now()}\n`);
setTimeout(() => {
  appendFileSync(file, `exit ${process.pid} ${now()}\n`);
  process.exit(1);
}, lifeMs);
