/**
 * The one config model of Sentinel. The YAML file, the importers (pm2, supervisord, launchd), `config export`
 * and the API all speak these types. Every field is validated here so that an error names its path
 * (`processes[2].restart.delay`) and what was expected.
 */
import { z } from 'zod';
import { parseDuration } from '../util/duration';
import { parseBytes } from '../util/bytes';

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

const Name = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'expected a name of letters, digits, "_", "." or "-" (at most 64, starting with a letter or digit)',
  );

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
    /** Failed restarts allowed within `window` before the process goes `fatal`. */
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
    cron: z.string().optional(),
    every: Duration.optional(),
    at: z.string().optional(),
    timezone: z.string().optional(),
    overlap: z.enum(['skip', 'queue', 'restart']).default('skip'),
    catch_up: z.enum(['none', 'last']).default('none'),
    enabled: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    const kinds = [v.cron, v.every, v.at].filter((x) => x !== undefined).length;
    if (kinds !== 1) ctx.addIssue({ code: 'custom', message: 'expected exactly one of cron, every or at' });
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

const CheckBase = {
  name: Name.optional(),
  interval: Duration.default(30_000),
  timeout: Duration.default(5_000),
  /** Failed attempts in a row before the check counts as failed. */
  retries: z.number().int().min(0).max(20).default(0),
  /** Upstream checks (internet, DNS) tell "everyone is offline" apart from "this service is down". */
  upstream: z.boolean().optional(),
};

export const CheckSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...CheckBase,
    type: z.literal('process'),
    /** A supervised process by its Sentinel name … */
    process: z.string().optional(),
    /** … or an external process found by executable name or a regular expression over its command line. */
    match: z.string().optional(),
  }),
  z.strictObject({
    ...CheckBase,
    type: z.literal('http'),
    url: z.url({ message: 'expected an http(s) URL' }),
    method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
    expect_status: z.union([z.number().int(), z.array(z.number().int())]).default(200),
    expect_body: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  z.strictObject({
    ...CheckBase,
    type: z.literal('tcp'),
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(1).max(65535),
  }),
  z.strictObject({
    ...CheckBase,
    type: z.literal('dns'),
    hostname: z.string().min(1),
    server: z.string().optional(),
    record: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS']).default('A'),
  }),
  z.strictObject({
    ...CheckBase,
    type: z.literal('internet'),
    /** host or host:port targets; reachable when any one answers. */
    targets: z.array(z.string()).min(1).default(['1.1.1.1:443', '8.8.8.8:53', '9.9.9.9:443']),
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
]);

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
  process: z.strictObject({ name: z.string().optional(), match: z.string().optional() }).optional(),
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
