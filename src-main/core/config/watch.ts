/**
 * Hot reload: watches the config file and applies a valid edit; an invalid one is refused with the reason and
 * the running config stays. The directory is watched, not the file, because editors save by writing a new file
 * and renaming it over the old one (the old inode — and a watch on it — is gone). Bursts of events are debounced,
 * and a save that does not change the bytes is ignored.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Logger } from '../util/logger';

export interface ConfigWatchOptions<C> {
  file: string;
  /** Reads and validates the file (config/load.ts `loadConfigFile`); throws (a ConfigError with `.issues`) when invalid. */
  load: (file: string) => C | Promise<C>;
  /** Applies a valid config (the composition root diffs it; only changed processes restart). */
  apply: (config: C) => unknown;
  logger: Logger;
  debounceMs?: number;
}

export interface ReloadRejected {
  file: string;
  reason: string;
  issues: unknown[];
}

type WatchEvents<C> = { applied: [{ file: string; config: C }]; rejected: [ReloadRejected] };

export class ConfigWatcher<C> extends EventEmitter<WatchEvents<C>> {
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private lastHash: string | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly log: Logger;

  constructor(private readonly o: ConfigWatchOptions<C>) {
    super();
    this.log = o.logger.child('config');
  }

  /** Starts watching. The current content counts as applied (the caller loaded it at start-up). */
  async start(): Promise<void> {
    this.lastHash = await this.hash();
    const name = basename(this.o.file);
    this.watcher = watch(dirname(this.o.file), { persistent: false }, (_event, filename) => {
      // filename can be null on some platforms: then any change in the directory may be ours.
      if (filename === null || filename.toString() === name) this.schedule();
    });
    this.watcher.on('error', (err) => this.log.error(`watching ${this.o.file} failed: ${err.message}`));
  }

  stop(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** Reloads now (also what a debounced change does); resolves when applied or refused. */
  reload(): Promise<void> {
    this.chain = this.chain.then(() => this.reloadOnce());
    return this.chain;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.o.debounceMs ?? 300);
  }

  private async hash(): Promise<string | undefined> {
    try {
      return createHash('sha256')
        .update(await readFile(this.o.file))
        .digest('hex');
    } catch {
      return undefined; // mid-rename or deleted: the next event (or load) tells
    }
  }

  private async reloadOnce(): Promise<void> {
    const hash = await this.hash();
    if (hash !== undefined && hash === this.lastHash) return;
    let config: C;
    try {
      config = await this.o.load(this.o.file);
    } catch (err) {
      const issues = Array.isArray((err as { issues?: unknown }).issues) ? (err as { issues: unknown[] }).issues : [];
      const reason = (err as Error).message;
      this.log.warn(`config change refused, the running config stays: ${reason}`, { file: this.o.file });
      this.emit('rejected', { file: this.o.file, reason, issues });
      // Not remembered as applied: saving the same broken bytes again reports again, a fix applies.
      return;
    }
    try {
      await this.o.apply(config);
    } catch (err) {
      const reason = `applying failed: ${(err as Error).message}`;
      this.log.error(`config change ${reason}`, { file: this.o.file });
      this.emit('rejected', { file: this.o.file, reason, issues: [] });
      return;
    }
    this.lastHash = hash;
    this.log.info(`config reloaded from ${this.o.file}`);
    this.emit('applied', { file: this.o.file, config });
  }
}
