/**
 * The floor of the idle scenario: the least a Node supervisor with Sentinel's duties at rest holds. It keeps 50
 * children with their output piped and read, a SQLite store in WAL with a row per start (better-sqlite3, 2 MB page
 * cache), a Unix socket and a loopback HTTP listener (the CLI's and the windows' doors), a watch on the config's
 * directory, and V8 in its interpreter as Sentinel's host runs. Nothing else: no config, no validation, no
 * contract, no log file, no scheduler or health model. CommonJS, so Node's ESM loader is not in it either.
 * argv: a private dir, the command and its arguments; FLOOR_CHILDREN: how many; FLOOR_MARK: the bench mark the
 * children carry (the floor itself does not, so it is not counted as one of them).
 */
require('node:v8').setFlagsFromString('--max-opt=0');
const { spawn } = require('node:child_process');
const { mkdirSync, watch } = require('node:fs');
const { createServer } = require('node:net');
const http = require('node:http');
const { join } = require('node:path');
const Database = require('better-sqlite3');

const [dir, command, ...args] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
const db = new Database(join(dir, 'floor.db'));
db.pragma('journal_mode = WAL');
db.pragma('cache_size = -2000');
db.exec('CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, name TEXT, pid INTEGER, started_at INTEGER)');
const started = db.prepare('INSERT INTO runs (name, pid, started_at) VALUES (?, ?, ?)');
const env = { ...process.env, SENTINEL_BENCH_MARK: process.env.FLOOR_MARK ?? '' };
delete env.FLOOR_MARK;

const run = (name) => {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  child.stdout.resume();
  child.stderr.resume();
  child.on('exit', () => run(name));
  started.run(name, child.pid, Date.now());
};
for (let i = 0; i < Number(process.env.FLOOR_CHILDREN ?? 50); i++) run(`p${i}`);
createServer((socket) => socket.end('{}\n')).listen(join(dir, 'floor.sock'));
http.createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
watch(dir, { persistent: false }, () => {});
process.on('SIGTERM', () => process.exit(0));
