/**
 * One POST with Node's fetch, turned into an attempt result: 2xx is delivered; 408, 429 and 5xx are worth another
 * try, other statuses are not; network errors and timeouts are. Redirects are refused (a webhook that moved
 * should be fixed in the config, and following one would send the alert somewhere nobody configured).
 */
import type { AttemptResult } from '../delivery';

export async function post(
  url: string,
  init: { headers: Record<string, string>; body: string },
  signal: AbortSignal,
): Promise<AttemptResult> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, redirect: 'manual', signal });
  } catch (err) {
    return { ok: false, retry: true, error: networkError(err) };
  }
  // The body is not needed; reading it frees the connection.
  const text = await res.text().catch(() => '');
  if (res.status >= 200 && res.status < 300) return { ok: true, detail: `HTTP ${res.status}` };
  const retry = res.status === 408 || res.status === 429 || res.status >= 500;
  const said = text.trim().slice(0, 200);
  return { ok: false, retry, error: `HTTP ${res.status}${said ? `: ${said}` : ''}` };
}

/** "connect ECONNREFUSED 127.0.0.1:9" rather than undici's bare "fetch failed". */
export function networkError(err: unknown): string {
  const e = err as Error & { cause?: { message?: string; code?: string } };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return 'aborted';
  return e?.cause?.message ?? e?.message ?? String(err);
}
