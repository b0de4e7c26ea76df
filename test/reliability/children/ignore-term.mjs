// Reliability child: ignores SIGTERM (so only the SIGKILL after the stop grace can end it) and says when the
// handler is in place by creating READY_FILE.
import { writeFileSync } from 'node:fs';

process.on('SIGTERM', () => console.log('SIGTERM ignored'));
writeFileSync(process.env.READY_FILE ?? '/dev/null', String(process.pid));
setInterval(() => {}, 60_000);
