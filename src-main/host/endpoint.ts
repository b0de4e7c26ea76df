/**
 * The HTTP port and token of a data dir, kept across restarts in `endpoint.json` (0600): a window left open on
 * http://127.0.0.1:<port>/?token=… reconnects to the restarted daemon instead of facing a new port and a token it
 * does not know. The config's `settings.api.port` / `token` win when set.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { newToken } from '../api/socket-server';

export const ENDPOINT_FILE_NAME = 'endpoint.json';

const Endpoint = z.object({ port: z.number().int().min(1).max(65535), token: z.string().min(16) });
export type Endpoint = z.infer<typeof Endpoint>;

export function endpointPath(dataDir: string): string {
  return join(dataDir, ENDPOINT_FILE_NAME);
}

/** The stored endpoint, or undefined when missing or unreadable (then a fresh one is made). */
export function readEndpoint(dataDir: string): Endpoint | undefined {
  try {
    const parsed = Endpoint.safeParse(JSON.parse(readFileSync(endpointPath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function writeEndpoint(dataDir: string, endpoint: Endpoint): void {
  const file = endpointPath(dataDir);
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify(endpoint), { mode: 0o600 });
  renameSync(tmp, file);
}

/** Which port to try first and which token to use: config wins, then the stored endpoint, then fresh ones. */
export function chooseEndpoint(
  configured: { port?: number | undefined; token?: string | undefined },
  stored: Endpoint | undefined,
): { port: number; token: string; fromConfig: boolean } {
  // Port 0 in the config is its default ("any free port"): then the stored one is tried first.
  const fromConfig = configured.port !== undefined && configured.port !== 0;
  return {
    port: fromConfig ? configured.port! : (stored?.port ?? 0),
    token: configured.token ?? stored?.token ?? newToken(),
    fromConfig,
  };
}
