/**
 * Sentinel's own log: electron-log's Node entry (it never loads electron) to the console and a rotating file
 * `<dataDir>/logs/sentinel.log`, plus warnings and errors into the `meta_logs` table so they show up next to the
 * failures they explain. Secrets are redacted before any transport sees a message.
 */
import electronLog from 'electron-log/node';
import { join } from 'node:path';
import { redact, redactValue, secretValues } from './reports/redact';
import type { Db } from './store/db';
import { metaLogsWriter, type MetaLogRow } from './store/meta-logs-repo';
import type { Logger } from './util/logger';

export type LogLevel = 'error' | 'warn' | 'info' | 'verbose' | 'debug';

export interface LoggingOptions {
  dataDir: string;
  level?: LogLevel;
  /** When given, warn and error also land in meta_logs. */
  db?: Db;
  /** Console output (on by default; a test or a GUI process may not want it). */
  console?: boolean;
  /** Rotate the file at this size; the previous file is kept as sentinel.old.log. */
  maxFileBytes?: number;
}

export const LOG_FILE = join('logs', 'sentinel.log');
const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

type ElectronLogger = typeof electronLog;
type LogMessage = Parameters<ElectronLogger['transports']['console']>[0];

let instances = 0;

export function createLogger({
  dataDir,
  level = 'info',
  db,
  console = true,
  maxFileBytes = DEFAULT_MAX_FILE_BYTES,
}: LoggingOptions): Logger {
  // A separate electron-log instance per call: the module default is process-global and tests open several.
  const log = electronLog.create({ logId: `sentinel-${process.pid}-${++instances}` }) as ElectronLogger;
  const secrets = secretValues(process.env);
  log.hooks.push((message) => ({
    ...message,
    data: message.data.map((d) => (typeof d === 'string' ? redact(d, secrets) : redactValue(d, secrets))),
  }));

  log.transports.console.level = console ? level : false;
  log.transports.console.format = '{h}:{i}:{s}.{ms} [{level}]{scope} {text}';
  log.transports.file.level = level;
  // electron-log names "the app" from the nearest package.json to build its default paths, even when the path
  // is ours; started from a folder without one it threw on the first line and wrote no file at all.
  log.transports.file.setAppName('sentinel');
  log.transports.file.resolvePathFn = () => join(dataDir, LOG_FILE);
  // Private from the first byte: captured output and errors can carry secrets.
  log.transports.file.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
  log.transports.file.maxSize = maxFileBytes;
  log.transports.file.format = '[{y}-{m}-{d} {h}:{i}:{s}.{ms}] [{level}]{scope} {text}';
  if (db) (log.transports as Record<string, unknown>).metaLogs = metaLogTransport(db);
  log.errorHandler.stopCatching?.();

  return wrap(log, '');
}

/**
 * Writes warn and error rows. A full disk or a closed db must never turn logging into a crash: rows that cannot
 * be written wait in a small backlog and go in with the next row that can, so the store still tells what happened
 * while it was full (the oldest are dropped beyond the backlog's size).
 */
function metaLogTransport(db: Db) {
  const write = metaLogsWriter(db);
  let backlog: MetaLogRow[] = [];
  const transport = (message: LogMessage): void => {
    const [text, data] = message.data as [unknown, unknown];
    backlog.push([
      message.date.getTime(),
      message.level,
      message.scope ?? '',
      String(text),
      data === undefined ? null : safeJson(data),
    ]);
    if (backlog.length > META_BACKLOG) backlog = backlog.slice(-META_BACKLOG);
    try {
      write(backlog);
      backlog = [];
    } catch {
      // Nowhere safer to report it: the file and console transports still carry the message.
    }
  };
  return Object.assign(transport, { level: 'warn' as const, transforms: [] });
}

/** Warnings and errors kept while the store refuses writes. */
const META_BACKLOG = 200;

function safeJson(value: unknown): string | null {
  try {
    return JSON.stringify(value);
  } catch {
    return null;
  }
}

function wrap(log: ElectronLogger, scope: string): Logger {
  const target = scope ? log.scope(scope) : log;
  const emit = (fn: (...args: unknown[]) => void) => (message: string, data?: Record<string, unknown>) =>
    data === undefined ? fn(message) : fn(message, data);
  return {
    error: emit(target.error.bind(target)),
    warn: emit(target.warn.bind(target)),
    info: emit(target.info.bind(target)),
    debug: emit(target.debug.bind(target)),
    child: (name: string) => wrap(log, scope ? `${scope}:${name}` : name),
  };
}
