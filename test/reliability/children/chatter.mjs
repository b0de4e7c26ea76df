// Reliability child: a steady flow of log lines (CHATTER_LINES every CHATTER_EVERY_MS, CHATTER_WIDTH bytes each),
// so the supervisor is always writing when it is killed or its disk fills.
const every = Number(process.env.CHATTER_EVERY_MS ?? '10');
const lines = Number(process.env.CHATTER_LINES ?? '5');
const pad = 'y'.repeat(Math.max(0, Number(process.env.CHATTER_WIDTH ?? '60') - 20));
let n = 0;
setInterval(() => {
  let chunk = '';
  for (let i = 0; i < lines; i++) chunk += `chatter ${String(n++).padStart(9, '0')} ${pad}\n`;
  process.stdout.write(chunk);
}, every);
