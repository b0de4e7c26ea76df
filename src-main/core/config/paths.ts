/**
 * Where Sentinel keeps its config and its data. macOS convention puts both under Application Support; elsewhere
 * the XDG base directories. Explicit options win over the environment, which wins over the defaults.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface PathInputs {
  /** `--config` / `--data-dir` from the command line. */
  config?: string | undefined;
  dataDir?: string | undefined;
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  home?: string;
}

export interface SentinelPaths {
  configPath: string;
  dataDir: string;
}

export const CONFIG_FILE_NAME = 'sentinel.yaml';
export const DB_FILE_NAME = 'sentinel.db';
export const SOCKET_FILE_NAME = 'sentinel.sock';
/** Token and HTTP URL of the running daemon (mode 0600). */
export const API_FILE_NAME = 'api.json';

/** Pure: resolves the two locations from options, environment and platform. */
export function resolvePaths({
  config,
  dataDir,
  env = process.env,
  platform = process.platform,
  home = homedir(),
}: PathInputs = {}): SentinelPaths {
  const defaults = defaultPaths(platform, env, home);
  return {
    configPath: nonEmpty(config) ?? nonEmpty(env.SENTINEL_CONFIG) ?? defaults.configPath,
    dataDir: nonEmpty(dataDir) ?? nonEmpty(env.SENTINEL_DATA_DIR) ?? defaults.dataDir,
  };
}

function defaultPaths(platform: NodeJS.Platform, env: Record<string, string | undefined>, home: string): SentinelPaths {
  if (platform === 'darwin') {
    const dir = join(home, 'Library', 'Application Support', 'Sentinel');
    return { configPath: join(dir, CONFIG_FILE_NAME), dataDir: dir };
  }
  const configHome = nonEmpty(env.XDG_CONFIG_HOME) ?? join(home, '.config');
  const dataHome = nonEmpty(env.XDG_DATA_HOME) ?? join(home, '.local', 'share');
  return { configPath: join(configHome, 'sentinel', CONFIG_FILE_NAME), dataDir: join(dataHome, 'sentinel') };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v !== '' ? v : undefined;
}

export const dbPath = (dataDir: string): string => join(dataDir, DB_FILE_NAME);
export const socketPath = (dataDir: string): string => join(dataDir, SOCKET_FILE_NAME);
export const apiInfoPath = (dataDir: string): string => join(dataDir, API_FILE_NAME);
