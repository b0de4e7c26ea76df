/**
 * A command of the user's (a script that texts, pages or files a ticket): run without a shell, the alert in
 * SENTINEL_ALERT_* environment variables and, as JSON, on stdin. Exit 0 is delivered; anything else is retried
 * (a script failing to reach its own service is the same as a webhook answering 503), except a command that is
 * not there.
 */
import type { AlertChannelSpec } from '../../config/alerts-schema';
import { runCommand } from '../../diagnostics/run-command';
import type { ChannelSender } from '../delivery';
import type { AlertEvent } from '../events';
import { alertPayload } from './webhook';

type CommandSpec = Extract<AlertChannelSpec, { type: 'command' }>;

export function alertEnv(alert: AlertEvent): Record<string, string> {
  return {
    SENTINEL_ALERT_ID: alert.id,
    SENTINEL_ALERT_KIND: alert.kind,
    SENTINEL_ALERT_SEVERITY: alert.severity,
    SENTINEL_ALERT_SERVICE: alert.service ?? '',
    SENTINEL_ALERT_TITLE: alert.title,
    SENTINEL_ALERT_MESSAGE: alert.message,
    SENTINEL_ALERT_AT: new Date(alert.at).toISOString(),
    SENTINEL_ALERT_FAILURE_ID: alert.failure_id === null ? '' : String(alert.failure_id),
    SENTINEL_ALERT_TIME_TO_RECOVER_MS: alert.time_to_recover_ms === null ? '' : String(alert.time_to_recover_ms),
  };
}

export function commandChannel(spec: CommandSpec, opts: { host: string; timeoutMs: number }): ChannelSender {
  return {
    async send(alert, signal) {
      const r = await runCommand([spec.command, ...spec.args], {
        timeoutMs: opts.timeoutMs,
        maxBytes: 16_384,
        env: { ...process.env, ...alertEnv(alert) },
        input: `${JSON.stringify(alertPayload(alert, opts.host))}\n`,
        signal,
      });
      if (r.spawnError) return { ok: false, retry: false, error: r.spawnError };
      if (r.timedOut) return { ok: false, retry: true, error: 'aborted' };
      if (r.code === 0) return { ok: true, detail: 'exit 0' };
      const said = r.stderr.trim().split('\n').pop()?.slice(0, 200);
      const how = r.code === null ? `killed by ${r.signal}` : `exit ${r.code}`;
      return { ok: false, retry: true, error: `${how}${said ? `: ${said}` : ''}` };
    },
  };
}
