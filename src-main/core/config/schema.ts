/**
 * The one config model of Sentinel. The YAML file, the importers (pm2, supervisord, launchd), `config export`
 * and the API all speak these types. Every field is validated here so that an error names its path
 * (`processes[2].restart.delay`) and what was expected.
 */
import { z } from 'zod';
import { formatDuration, parseDuration } from '../util/duration';
import { parseBytes } from '../util/bytes';
import { AlertsSchema } from './alerts-schema';
import { cronError, hostError, httpUrlError, nameError, regexError, targetError, timeZoneError } from './validators';

/** A string refined by one of the validators: the validator's message becomes the issue at the field's path. */
const checked = (error: (v: string) => string | undefined) =>
  z.string().superRefine((v, ctx) => {
    const message = error(v);
    if (message !== undefined) ctx.addIssue({ code: 'custom', message });
  });

/** A duration written for people ("500ms", "30s", "1h30m") or a number of milliseconds; parsed to ms. */
export const Duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v : parseDuration(v);
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a duration like "500ms", "30s", "5m", "1h30m", got ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  }
  return ms;
});

/** A size like "500MB", "1GB", or a number of bytes. */
export const Bytes = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : parseBytes(v);
  if (n === undefined || !Number.isFinite(n) || n < 0) {
    ctx.addIssue({ code: 'custom', message: `expected a size like "500MB" or "1GB", got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
});

/** A percentage like "90%" or a number (90). */
export const Percent = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : Number(String(v).trim().replace(/%$/, ''));
  if (!Number.isFinite(n) || n < 0) {
    ctx.addIssue({ code: 'custom', message: `expected a percentage like "90%", got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
});

export const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGKILL', 'SIGUSR1', 'SIGUSR2'] as const;
export const Signal = z
  .string()
  .transform((s) => (s.toUpperCase().startsWith('SIG') ? s.toUpperCase() : `SIG${s.toUpperCase()}`))
  .pipe(z.enum(SIGNALS, { message: `expected one of ${SIGNALS.join(', ')} (or without SIG)` }));

/** Letters and digits of any script plus "_", "." and "-" (see validators.ts for why these are safe everywhere). */
const Name = checked(nameError);
const Regex = checked(regexError);
const Host = checked(hostError);
const Port = z
  .number()
  .int()
  .min(1, 'expected a port between 1 and 65535')
  .max(65535, 'expected a port between 1 and 65535');

const ExitCode = z.number().int().min(0).max(255);

export const RestartPolicySchema = z
  .strictObject({
    policy: z.enum(['always', 'on-failure', 'never']).default('on-failure'),
    /** Delay before the first restart after a failure. */
    delay: Duration.default(1000),
    /** Each consecutive failure multiplies the delay by this (1 = fixed delay). */
    backoff: z.number().min(1).max(10).default(2),
    max_delay: Duration.default(60_000),
    /** Random spread as a fraction of the delay (0.1 = ±10 %), so many processes do not restart in step. */
    jitter: z.number().min(0).max(1).default(0),
    /**
     * When to give up (`fatal`):
     * - `window`: after more than max_retries failures within `window` (a stable run of reset_after clears them);
     * - `startup`: only failed starts count — more than max_retries exits in a row before start_secs; a process
     *   that got past start_secs is restarted on every unexpected exit, for ever (supervisord's startretries);
     * - `never`: keep restarting with the backoff, for ever (launchd's KeepAlive).
     */
    give_up: z.enum(['window', 'startup', 'never']).default('window'),
    /** Failed restarts allowed (see give_up) before the process goes `fatal`. */
    max_retries: z.number().int().min(0).default(5),
    window: Duration.default(600_000),
    /** A run that stays up this long resets the retry count and the backoff. */
    reset_after: Duration.default(30_000),
    /** After `fatal`, try again from scratch after this long (null: wait for a person). */
    retry_after: Duration.nullable().default(null),
    /** A process must stay up this long to count as started (supervisord `startsecs`). */
    start_secs: Duration.default(1000),
    exit_codes: z
      .strictObject({
        /** Exit codes that are a clean exit (default [0]). Every other code is a failure. */
        success: z.array(ExitCode).default([0]),
        /** If given, only these codes are failures and every other code is a clean exit. */
        failure: z.array(ExitCode).optional(),
      })
      .default({ success: [0] })
      .superRefine((v, ctx) => {
        const overlap = (v.failure ?? []).filter((c) => v.success.includes(c));
        if (overlap.length > 0 && v.failure !== undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `exit code(s) ${overlap.join(', ')} cannot be both success and failure`,
          });
        }
      }),
  })
  .prefault({});

export const StopSchema = z
  .strictObject({
    signal: Signal.default('SIGTERM'),
    /** Grace between the stop signal and SIGKILL of the whole process group. */
    timeout: Duration.default(10_000),
  })
  .prefault({});

export const ScheduleSchema = z
  .strictObject({
    /** One cron expression, or several (it fires at each one's times: launchd's list of StartCalendarInterval). */
    cron: z.union([checked(cronError), z.array(checked(cronError)).min(1)]).optional(),
    every: Duration.optional(),
    at: z.string().optional(),
    timezone: checked(timeZoneError).optional(),
    overlap: z.enum(['skip', 'queue', 'restart']).default('skip'),
    catch_up: z.enum(['none', 'last']).default('none'),
    enabled: z.boolean().default(true),
    /**
     * Also start the process when Sentinel starts (or the process is added), not only on the schedule — launchd's
     * RunAtLoad next to a schedule, PM2's cron_restart on a long-running app. Off: the schedule alone starts it.
     */
    run_at_load: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    const kinds = [v.cron, v.every, v.at].filter((x) => x !== undefined).length;
    if (kinds !== 1) ctx.addIssue({ code: 'custom', message: 'expected exactly one of cron, every or at' });
    if (v.every !== undefined && v.every < MIN_EVERY_MS)
      ctx.addIssue({
        code: 'custom',
        path: ['every'],
        message: `expected an interval of at least ${MIN_EVERY_MS}ms, got ${v.every}ms`,
      });
    if (v.timezone !== undefined && v.cron === undefined)
      ctx.addIssue({ code: 'custom', path: ['timezone'], message: 'timezone only applies to cron schedules' });
    if (v.at !== undefined && Number.isNaN(Date.parse(v.at))) {
      ctx.addIssue({
        code: 'custom',
        path: ['at'],
        message: `expected a date-time like "2026-12-01T03:00", got ${JSON.stringify(v.at)}`,
      });
    }
  });

export const LimitsSchema = z.strictObject({
  memory: Bytes.optional(),
  cpu: Percent.optional(),
  /** How long a limit must be exceeded before acting. */
  for: Duration.default(30_000),
  action: z.enum(['restart', 'stop', 'alert']).default('restart'),
  sample_interval: Duration.default(5_000),
});

/** Below this a check (or an `every` schedule) costs real CPU and floods the store: `interval: 0` was ~20 % CPU. */
export const MIN_CHECK_INTERVAL_MS = 1_000;
export const MIN_CHECK_TIMEOUT_MS = 100;
/** `every: 0` would fire in a loop; a tenth of a second is the shortest schedule that is still a schedule. */
const MIN_EVERY_MS = 100;

const CheckBase = {
  name: Name.optional(),
  interval: Duration.pipe(
    z.number().min(MIN_CHECK_INTERVAL_MS, `expected an interval of at least ${MIN_CHECK_INTERVAL_MS / 1000}s`),
  ).default(30_000),
  timeout: Duration.pipe(
    z.number().min(MIN_CHECK_TIMEOUT_MS, `expected a timeout of at least ${MIN_CHECK_TIMEOUT_MS}ms`),
  ).default(5_000),
  /** Failed attempts in a row before the check counts as failed. */
  retries: z.number().int().min(0).max(20).default(0),
  /** Upstream checks (internet, DNS) tell "everyone is offline" apart from "this service is down". */
  upstream: z.boolean().optional(),
};

export const CheckSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      ...CheckBase,
      type: z.literal('process'),
      /** A supervised process by its Sentinel name … */
      process: Name.optional(),
      /** … or an external process found by executable name or a regular expression over its command line. */
      match: Regex.optional(),
    }),
    z.strictObject({
      ...CheckBase,
      type: z.literal('http'),
      url: checked(httpUrlError),
      method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
      expect_status: z.union([z.number().int(), z.array(z.number().int())]).default(200),
      expect_body: z.string().optional(),
      headers: z.record(z.string(), z.string()).optional(),
    }),
    z.strictObject({
      ...CheckBase,
      type: z.literal('tcp'),
      host: Host.default('127.0.0.1'),
      port: Port,
    }),
    z.strictObject({
      ...CheckBase,
      type: z.literal('dns'),
      hostname: Host,
      server: Host.optional(),
      record: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS']).default('A'),
    }),
    z.strictObject({
      ...CheckBase,
      type: z.literal('internet'),
      /** host or host:port targets; reachable when any one answers. */
      targets: z.array(checked(targetError)).min(1).default(['1.1.1.1:443', '8.8.8.8:53', '9.9.9.9:443']),
      method: z.enum(['auto', 'ping', 'tcp']).default('auto'),
    }),
    z.strictObject({
      ...CheckBase,
      type: z.literal('command'),
      command: z.string().min(1),
      args: z.array(z.string()).default([]),
      shell: z.boolean().default(false),
      /** Parse stdout as JSON; `expect` then names a dotted path that must be truthy (e.g. "management.connected"). */
      json: z.boolean().default(false),
      expect: z.string().optional(),
    }),
    z.strictObject({
      ...CheckBase,
      type: z.literal('netbird'),
      /** Minimum share of peers that must be connected (0..1). */
      min_peers_connected: z.number().min(0).max(1).default(0),
    }),
  ])
  .superRefine((c, ctx) => {
    // A timeout at or above the interval means attempts pile onto each other (the runner never overlaps a check
    // with itself, so the check would silently run less often than configured).
    if (c.timeout >= c.interval)
      ctx.addIssue({
        code: 'custom',
        path: ['timeout'],
        message: `expected a timeout below the interval (${formatDuration(c.interval)}), got ${formatDuration(c.timeout)}`,
      });
    if (c.type === 'process' && c.process !== undefined && c.match !== undefined)
      ctx.addIssue({ code: 'custom', message: 'expected one of process (a Sentinel name) or match, not both' });
  });

export const ProcessSchema = z.strictObject({
  name: Name,
  command: z.string().min(1, 'expected a command'),
  args: z.array(z.string()).default([]),
  /** Run through /bin/sh -c; off by default so arguments are never re-split or expanded. */
  shell: z.boolean().default(false),
  cwd: z.string().optional(),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
  autostart: z.boolean().default(true),
  group: Name.optional(),
  restart: RestartPolicySchema,
  stop: StopSchema,
  schedule: ScheduleSchema.optional(),
  limits: LimitsSchema.optional(),
  checks: z.array(CheckSchema).default([]),
  /** Log retention for this process (overrides settings.logs). */
  logs: z.strictObject({ max_lines: z.number().int().min(100).optional(), max_bytes: Bytes.optional() }).optional(),
});

export const AssessRulesSchema = z
  .strictObject({
    /** Failed rounds in a row before the service goes red. */
    fail_rounds: z.number().int().min(1).default(2),
    /** Good rounds in a row before a red or yellow service is green again. */
    pass_rounds: z.number().int().min(1).default(2),
    /** A latency over this makes a passing check count as degraded (yellow). */
    slow_ms: z.number().int().min(1).optional(),
  })
  .prefault({});

/** How a service is restarted when its checks fail (supervised processes use the defaults). */
export const RecoverySchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Wait this long for the checks to pass after a restart. */
    wait: Duration.default(60_000),
    delay: Duration.default(5_000),
    backoff: z.number().min(1).max(10).default(2),
    max_delay: Duration.default(600_000),
    max_per_hour: z.number().int().min(0).default(4),
  })
  .prefault({});

export const ServiceSchema = z.strictObject({
  name: Name,
  /** How to find the service's process (executable name or a regular expression over the command line). */
  process: z.strictObject({ name: z.string().min(1).optional(), match: Regex.optional() }).optional(),
  /** If this binary is not on PATH (or the path does not exist) the service is "not installed", never red. */
  installed_if: z.string().optional(),
  /** The command that restarts it, argv form: [netbird, service, restart]. */
  restart: z.array(z.string()).min(1).optional(),
  recovery: RecoverySchema,
  checks: z.array(CheckSchema).default([]),
  rules: AssessRulesSchema,
});

export const SettingsSchema = z
  .strictObject({
    log_level: z.enum(['error', 'warn', 'info', 'verbose', 'debug']).default('info'),
    /** Log capture retention per process. */
    logs: z
      .strictObject({
        max_lines: z.number().int().min(100).default(2_000_000),
        max_bytes: Bytes.default(200 * 1024 * 1024),
      })
      .prefault({}),
    retention: z
      .strictObject({
        health_checks: Duration.default(7 * 86_400_000),
        failures: Duration.default(365 * 86_400_000),
        metrics: Duration.default(7 * 86_400_000),
      })
      .prefault({}),
    api: z
      .strictObject({
        host: z.enum(['127.0.0.1', '::1', 'localhost']).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(0),
        token: z.string().min(16, 'expected a token of at least 16 characters').optional(),
      })
      .prefault({}),
    notifications: z.boolean().default(true),
    /** Recovery only says what it would do. */
    dry_run: z.boolean().default(false),
    /** After a wake from sleep, failing checks are not held against a service for this long. */
    wake_grace: Duration.default(30_000),
    /** Upstream checks that every service depends on (internet, DNS). */
    upstream: z.array(CheckSchema).default([]),
  })
  .prefault({});

export const ConfigSchema = z
  .strictObject({
    version: z.literal(1).default(1),
    settings: SettingsSchema,
    processes: z.array(ProcessSchema).default([]),
    services: z.array(ServiceSchema).default([]),
    alerts: AlertsSchema,
  })
  .superRefine((cfg, ctx) => {
    const seen = new Map<string, string>();
    const claim = (name: string, path: (string | number)[]) => {
      const prev = seen.get(name);
      if (prev !== undefined)
        ctx.addIssue({ code: 'custom', path, message: `duplicate name "${name}" (already used by ${prev})` });
      else seen.set(name, path.slice(0, 2).join('.'));
    };
    cfg.processes.forEach((p, i) => claim(p.name, ['processes', i, 'name']));
    cfg.services.forEach((s, i) => claim(s.name, ['services', i, 'name']));

    const processes = new Set(cfg.processes.map((p) => p.name));
    const checkList = (checks: CheckSpec[], path: (string | number)[], owner: 'process' | 'other') => {
      const names = new Set<string>();
      checks.forEach((c, j) => {
        if (c.name !== undefined) {
          if (names.has(c.name))
            ctx.addIssue({ code: 'custom', path: [...path, j, 'name'], message: `duplicate check name "${c.name}"` });
          names.add(c.name);
        }
        if (c.type !== 'process') return;
        if (c.process !== undefined && !processes.has(c.process))
          ctx.addIssue({
            code: 'custom',
            path: [...path, j, 'process'],
            message: `expected the name of a process in this config, got "${c.process}"`,
          });
        // Only a supervised process's own check may leave the target out: it then means that process.
        if (owner === 'other' && c.process === undefined && c.match === undefined)
          ctx.addIssue({
            code: 'custom',
            path: [...path, j],
            message: 'expected process (a Sentinel name) or match (executable name or regular expression)',
          });
      });
    };
    cfg.processes.forEach((p, i) => checkList(p.checks, ['processes', i, 'checks'], 'process'));
    cfg.services.forEach((s, i) => checkList(s.checks, ['services', i, 'checks'], 'other'));
    checkList(cfg.settings.upstream, ['settings', 'upstream'], 'other');
    // A route to a name nobody has is a typo that would silently route nothing.
    cfg.alerts.routes.forEach((r, i) =>
      r.services?.forEach((name, j) => {
        if (!seen.has(name))
          ctx.addIssue({
            code: 'custom',
            path: ['alerts', 'routes', i, 'services', j],
            message: `no service or process named "${name}"`,
          });
      }),
    );
  });

export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type ProcessSpec = z.output<typeof ProcessSchema>;
export type RestartPolicy = z.output<typeof RestartPolicySchema>;
export type ScheduleSpec = z.output<typeof ScheduleSchema>;
export type LimitsSpec = z.output<typeof LimitsSchema>;
export type CheckSpec = z.output<typeof CheckSchema>;
export type ServiceSpec = z.output<typeof ServiceSchema>;
export type AssessRules = z.output<typeof AssessRulesSchema>;
/** Whether a process starts when Sentinel starts (or when it is added): autostart, unless a schedule starts it. */
export function startsAtLoad(p: Pick<ProcessSpec, 'autostart' | 'schedule'>): boolean {
  return p.autostart && (p.schedule === undefined || p.schedule.run_at_load);
}
