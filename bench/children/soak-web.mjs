/** Soak workload: the HTTP service Sentinel checks every second (GET /health → 200 "ok"). PORT from the env. */
import { createServer } from 'node:http';
createServer((_req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
