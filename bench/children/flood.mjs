// Benchmark child: writes FLOOD_LINES numbered lines to stdout as fast as the pipe takes them, then exits 0.
// Writes go in blocks and wait for 'drain', so the child never buffers more than one block in memory.
import { appendFileSync } from 'node:fs';

const total = Number(process.env.FLOOD_LINES ?? '1000000');
const width = Number(process.env.FLOOD_WIDTH ?? '60');
const block = 2000;
const pad = 'x'.repeat(Math.max(0, width - 12));
if (process.env.FLOOD_STARTED)
  appendFileSync(process.env.FLOOD_STARTED, `${(performance.timeOrigin + performance.now()).toFixed(3)}\n`);

let i = 0;
function pump() {
  while (i < total) {
    let chunk = '';
    const end = Math.min(total, i + block);
    for (; i < end; i++) chunk += `${String(i).padStart(10, '0')} ${pad}\n`;
    if (!process.stdout.write(chunk)) return void process.stdout.once('drain', pump);
  }
  process.stdout.end(() => process.exit(0));
}
pump();
