/**
 * Validates a request against the contract and calls its handler. Every transport (IPC, HTTP/WS, Unix socket)
 * goes through here, so validation and error shapes are the same everywhere.
 */
import { z } from 'zod';
import { isChannel, isShellChannel, requests, type Handlers } from '../shared/contract';
import { SentinelError, type ApiError, type Outcome } from '../shared/errors';

export type DispatchResult = Outcome;

export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
}

export function badRequest(err: z.ZodError): ApiError {
  const first = err.issues[0];
  const field = first ? formatIssuePath(first.path) : '';
  const message = err.issues.map((i) => `${formatIssuePath(i.path) || '(input)'}: ${i.message}`).join('; ');
  return { code: 'bad_request', message, ...(field ? { field } : {}) };
}

export function createDispatcher(handlers: Handlers, onInternalError?: (channel: string, err: unknown) => void) {
  return async function dispatch(channel: unknown, input: unknown): Promise<DispatchResult> {
    if (!isChannel(channel)) {
      return {
        ok: false,
        error: { code: 'not_found', message: `unknown channel ${JSON.stringify(channel)}`, field: 'channel' },
      };
    }
    // The menu-bar app answers these before they get here (app/window-requests.ts); the host has no windows.
    if (isShellChannel(channel)) {
      return {
        ok: false,
        error: {
          code: 'not_found',
          message: `${channel} is offered only by the menu-bar app (IPC); this transport has no windows to open`,
          field: 'channel',
        },
      };
    }
    const parsed = requests[channel].input.safeParse(input ?? undefined);
    if (!parsed.success) return { ok: false, error: badRequest(parsed.error) };
    try {
      const handler = handlers[channel] as (args: unknown) => unknown;
      return { ok: true, result: await handler(parsed.data) };
    } catch (err) {
      // A refusal core meant (unknown name, bad YAML) keeps its code; anything else is a bug, reported as such.
      if (err instanceof SentinelError) return { ok: false, error: err.toApiError() };
      onInternalError?.(channel, err);
      return { ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } };
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;
