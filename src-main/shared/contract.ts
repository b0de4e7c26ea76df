/**
 * The one contract between Sentinel's core and everything that talks to it: the Electron windows (IPC),
 * the headless windows (HTTP + WebSocket), and the `sentinel` CLI (Unix socket). Each request channel and each
 * pushed event is declared once here; transports validate inputs with these schemas on the server side.
 *
 * This file must stay importable by the renderer: zod and types only, no Node modules.
 */
import { z } from 'zod';
import { ERROR_CODES, type Outcome } from './errors';
import { SHELL_CHANNELS } from './shell-channels';
import { WINDOW_VIEWS } from './views';

// ---------- shared shapes ----------

export const PROCESS_STATES = ['stopped', 'starting', 'running', 'backoff', 'stopping', 'exited', 'fatal'] as const;
export const ProcessState = z.enum(PROCESS_STATES);
export type ProcessState = z.infer<typeof ProcessState>;

export const Color = z.enum(['green', 'yellow', 'red']);
export type Color = z.infer<typeof Color>;
/** A service can also be absent from this Mac (NetBird not installed) or not assessed yet. */
export const ServiceColor = z.enum(['green', 'yellow', 'red', 'not-installed', 'unknown']);
export type ServiceColor = z.infer<typeof ServiceColor>;

export const CheckResult = z.object({
  name: z.string(),
  type: z.string(),
  service: z.string().nullable(),
  ok: z.boolean(),
  latency_ms: z.number().nullable(),
  error: z.string().nullable(),
  data: z.unknown().optional(),
  at: z.number(),
  upstream: z.boolean().optional(),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const ProcessInfo = z.object({
  name: z.string(),
  group: z.string().nullable(),
  state: ProcessState,
  pid: z.number().nullable(),
  started_at: z.number().nullable(),
  uptime_ms: z.number().nullable(),
  restarts: z.number(),
  last_exit_code: z.number().nullable(),
  last_signal: z.string().nullable(),
  reason: z.string().nullable(),
  /** While backing off: when the next attempt happens (epoch ms), for "next attempt in 45 s". */
  next_attempt_at: z.number().nullable(),
  cpu: z.number().nullable(),
  memory: z.number().nullable(),
  schedule: z
    .object({
      enabled: z.boolean(),
      next_run: z.number().nullable(),
      last_run: z.number().nullable(),
      description: z.string(),
    })
    .nullable(),
});
export type ProcessInfo = z.infer<typeof ProcessInfo>;

export const ServiceStatus = z.object({
  name: z.string(),
  status: ServiceColor,
  reason: z.string(),
  /** The assessor rule that set this status, e.g. "fail_rounds: 2 failed rounds in a row". */
  rule: z.string(),
  since: z.number(),
  installed: z.boolean(),
  recovering: z.boolean(),
  checks: z.array(CheckResult),
  /** Owned processes are services too; external ones (NetBird) are not. */
  kind: z.enum(['service', 'process']),
  /** Whether "Restart <name>" can act: false for an external service without a restart command. */
  can_restart: z.boolean().optional(),
});
export type ServiceStatus = z.infer<typeof ServiceStatus>;

export const OverallStatus = z.object({
  status: Color,
  reason: z.string(),
  rule: z.string(),
  at: z.number(),
  services: z.array(ServiceStatus),
  upstream: z.array(CheckResult),
});
export type OverallStatus = z.infer<typeof OverallStatus>;

export const Snapshot = z.object({
  overall: OverallStatus,
  processes: z.array(ProcessInfo),
  version: z.string(),
  dry_run: z.boolean(),
});
export type Snapshot = z.infer<typeof Snapshot>;

export const TimelineEntry = z.object({ at: z.number(), event: z.string(), detail: z.string().optional() });
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const FailureSummary = z.object({
  id: z.number(),
  service: z.string(),
  kind: z.string(),
  started_at: z.number(),
  detected_by: z.string().nullable(),
  reason: z.string(),
  upstream_down: z.boolean(),
  restart_attempted: z.boolean(),
  restart_successful: z.boolean().nullable(),
  recovered_at: z.number().nullable(),
  time_to_recover_ms: z.number().nullable(),
  outcome: z.string().nullable(),
});
export type FailureSummary = z.infer<typeof FailureSummary>;

export const LogLine = z.object({
  id: z.number(),
  process: z.string(),
  stream: z.enum(['out', 'err', 'sys']),
  at: z.number(),
  line: z.string(),
});
export type LogLine = z.infer<typeof LogLine>;

export const FailureDetail = FailureSummary.extend({
  checks: z.array(CheckResult),
  /** Sections by name (interfaces, routes, dns, connections, os_log …), each with its own ok/error. */
  diagnostics: z.record(z.string(), z.unknown()),
  timeline: z.array(TimelineEntry),
  /** The report's one-line summaries of the diagnostics ("5 interfaces, 3 up"), one bounded body line per item. */
  diagnostics_summary: z
    .array(z.object({ section: z.string(), ok: z.boolean(), headline: z.string(), body: z.string() }))
    .optional(),
  /** The service's last log lines up to its recovery (or now), oldest first. */
  last_logs: z.array(LogLine).optional(),
});
export type FailureDetail = z.infer<typeof FailureDetail>;

export const Stats = z.object({
  since: z.number(),
  total: z.number(),
  by_hour: z.array(z.number()).length(24),
  /** Sunday = 0 … Saturday = 6. */
  by_weekday: z.array(z.number()).length(7),
  mtbf_ms: z.number().nullable(),
  mttr_ms: z.number().nullable(),
  top_kinds: z.array(z.object({ kind: z.string(), count: z.number() })),
  by_service: z.array(z.object({ service: z.string(), count: z.number() })),
  /** Failures per local calendar day (YYYY-MM-DD), oldest first, days without failures included (at most 366). */
  by_day: z.array(z.object({ day: z.string(), count: z.number() })).optional(),
});
export type Stats = z.infer<typeof Stats>;

export const AppSettings = z.object({
  start_at_login: z.boolean(),
  /** macOS 13+: the user must approve the login item in System Settings. */
  login_item_status: z.enum(['enabled', 'not-registered', 'requires-approval', 'not-found', 'unsupported']),
  notifications: z.boolean(),
  dry_run: z.boolean(),
  /** Read-only here (set in the config file's `settings`): log lines kept per process and the bytes cap. */
  log_retention: z.object({ max_lines: z.number(), max_bytes: z.number() }).optional(),
  /** Read-only here (`settings.api.port`): the configured API port, 0 = chosen at start and then kept. */
  api_port: z.number().optional(),
});
export type AppSettings = z.infer<typeof AppSettings>;

/** An alert for the desktop (macOS Notification Center in the app), as the `desktop` alert channel hands it over. */
export const AlertNotice = z.object({
  id: z.string(),
  kind: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  service: z.string().nullable(),
  title: z.string(),
  message: z.string(),
  at: z.number(),
  failure_id: z.number().nullable(),
});
export type AlertNotice = z.infer<typeof AlertNotice>;

/** One channel's answer to a test alert: the target with its secrets taken out, and what the receiver said. */
export const AlertTestResult = z.object({
  channel: z.string(),
  target: z.string(),
  ok: z.boolean(),
  attempts: z.number(),
  detail: z.string(),
});
export type AlertTestResult = z.infer<typeof AlertTestResult>;

export const MetricSample = z.object({ at: z.number(), cpu: z.number(), memory: z.number() });
/**
 * Pushed while someone subscribes to `processes.usage` (a window showing CPU/memory): the figures of a sampling
 * round. Without a subscriber, only processes with limits are sampled (nothing runs at rest for the others).
 */
export const ProcessUsage = z.object({
  process: z.string(),
  at: z.number(),
  cpu: z.number().nullable(),
  memory: z.number().nullable(),
});
export type ProcessUsage = z.infer<typeof ProcessUsage>;
export type MetricSample = z.infer<typeof MetricSample>;

// ---------- inputs ----------

const Name = z.string().min(1).max(64);
/** Whom a bulk action targets: one name, a group, or all. Exactly one. */
export const Target = z.union([
  z.strictObject({ name: Name }),
  z.strictObject({ group: Name }),
  z.strictObject({ all: z.literal(true) }),
]);
export type Target = z.infer<typeof Target>;

const Empty = z.strictObject({}).optional().default({});

/** The views a window shows (shared/views.ts); `status` is the popover / Overview. */
const WindowView = z.enum(WINDOW_VIEWS);

/**
 * What `window.open` shows: a view, and at most one selection that view understands (a failure's detail, one
 * process's log lines). A selection for another view is refused with its field named, not silently dropped.
 */
export const WindowOpenInput = z
  .strictObject({
    view: WindowView,
    failure_id: z.number().int().positive().optional(),
    process: Name.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.failure_id !== undefined && v.view !== 'failures')
      ctx.addIssue({ code: 'custom', path: ['failure_id'], message: 'only the failures view selects a failure' });
    if (v.process !== undefined && v.view !== 'logs')
      ctx.addIssue({ code: 'custom', path: ['process'], message: "only the logs view selects a process's lines" });
  });
export type WindowOpenInput = z.infer<typeof WindowOpenInput>;
const EpochMs = z.number().int().nonnegative();

// ---------- requests ----------

export const requests = {
  'status.get': { input: Empty, output: Snapshot },
  'processes.list': { input: Empty, output: z.array(ProcessInfo) },
  'processes.start': { input: Target, output: z.object({ affected: z.array(z.string()) }) },
  'processes.stop': { input: Target, output: z.object({ affected: z.array(z.string()) }) },
  'processes.restart': { input: Target, output: z.object({ affected: z.array(z.string()) }) },
  /** Restart an external service (or a supervised process by its name): "Restart <service>" in the menu. */
  'services.restart': {
    input: z.strictObject({ name: Name }),
    output: z.object({ ok: z.boolean(), message: z.string() }),
  },
  /** "Force check now": runs every check at once and returns the resulting status. */
  'checks.run': { input: Empty, output: OverallStatus },
  'failures.list': {
    input: z
      .strictObject({
        service: Name.optional(),
        since: EpochMs.optional(),
        until: EpochMs.optional(),
        limit: z.number().int().min(1).max(500).default(50),
        offset: z.number().int().min(0).default(0),
      })
      .optional()
      .default({ limit: 50, offset: 0 }),
    output: z.object({ items: z.array(FailureSummary), total: z.number() }),
  },
  'failures.get': { input: z.strictObject({ id: z.number().int().positive() }), output: FailureDetail },
  'failures.report': {
    input: z.strictObject({ id: z.number().int().positive() }),
    output: z.object({ markdown: z.string() }),
  },
  'stats.get': {
    input: z.strictObject({ since: EpochMs.optional(), service: Name.optional() }).optional().default({}),
    output: Stats,
  },
  'logs.query': {
    input: z
      .strictObject({
        process: Name.optional(),
        /** A regular expression (JavaScript syntax) the line must match. */
        grep: z.string().max(500).optional(),
        since: EpochMs.optional(),
        /** Lines with id greater than this (for tailing). */
        after_id: z.number().int().min(0).optional(),
        /** Lines with id less than this (for paging back). */
        before_id: z.number().int().min(0).optional(),
        stream: z.enum(['out', 'err', 'sys']).optional(),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .optional()
      .default({ limit: 500 }),
    output: z.object({ lines: z.array(LogLine) }),
  },
  'metrics.get': {
    input: z.strictObject({ process: Name, since: EpochMs.optional() }),
    output: z.object({ samples: z.array(MetricSample) }),
  },
  'schedules.list': {
    input: Empty,
    output: z.array(
      z.object({
        process: z.string(),
        description: z.string(),
        enabled: z.boolean(),
        next_run: z.number().nullable(),
        last_run: z.number().nullable(),
        runs: z.number(),
        skipped: z.number(),
      }),
    ),
  },
  'schedules.set': {
    input: z.strictObject({ process: Name, enabled: z.boolean() }),
    output: z.object({ ok: z.boolean() }),
  },
  'settings.get': { input: Empty, output: AppSettings },
  'settings.set': {
    input: z.strictObject({
      start_at_login: z.boolean().optional(),
      notifications: z.boolean().optional(),
      dry_run: z.boolean().optional(),
    }),
    output: AppSettings,
  },
  /** `sentinel alert test [CHANNEL]`: a test alert to one channel or every enabled one, past quiet hours and storms. */
  'alerts.test': {
    input: z.strictObject({ channel: Name.optional() }).optional().default({}),
    output: z.object({ results: z.array(AlertTestResult) }),
  },
  'config.get': { input: Empty, output: z.object({ yaml: z.string(), path: z.string().nullable() }) },
  /** Validates a YAML text and applies it as a diff (only changed processes restart). */
  'config.apply': {
    input: z.strictObject({ yaml: z.string().max(1_000_000), dry_run: z.boolean().default(false) }),
    output: z.object({
      added: z.array(z.string()),
      removed: z.array(z.string()),
      changed: z.array(z.string()),
      unchanged: z.array(z.string()),
    }),
  },
  /**
   * The menu-bar app only (see SHELL_CHANNELS): opens the main window at a view, or brings it forward and moves it
   * there, and hides the popover. A browser tab has no windows to open: it follows a link instead.
   */
  'window.open': { input: WindowOpenInput, output: z.object({ view: WindowView }) },
} as const;

export type Channel = keyof typeof requests;
/** Typed as channels here, so a misspelt name in shared/shell-channels.ts fails the type check. */
const shellChannels: readonly Channel[] = SHELL_CHANNELS;
/** A channel only the menu-bar app answers (shared/shell-channels.ts says why). */
export type ShellChannel = (typeof SHELL_CHANNELS)[number];
export function isShellChannel(channel: Channel): channel is ShellChannel {
  return shellChannels.includes(channel);
}
/** The channels the core implements (every transport offers them). */
export type CoreChannel = Exclude<Channel, ShellChannel>;
export type RequestInput<C extends Channel> = z.input<(typeof requests)[C]['input']>;
export type RequestArgs<C extends Channel> = z.output<(typeof requests)[C]['input']>;
export type RequestResult<C extends Channel> = z.output<(typeof requests)[C]['output']>;

/** What the core implements: one async function per channel, given validated input. */
export type Handlers = { [C in CoreChannel]: (args: RequestArgs<C>) => Promise<RequestResult<C>> | RequestResult<C> };

// ---------- pushed events ----------

export const events = {
  'status.changed': OverallStatus,
  'process.changed': ProcessInfo,
  'failure.created': FailureSummary,
  'failure.updated': FailureSummary,
  'logs.appended': z.array(LogLine),
  'settings.changed': AppSettings,
  'processes.usage': z.array(ProcessUsage),
  'alert.raised': AlertNotice,
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** An event with its payload, as a listener receives it: narrowing on `event` types `payload`. */
export type EventArgs = { [E in EventName]: [event: E, payload: EventPayload<E>] }[EventName];
/** A listener to every event (transports forwarding events, the tray). */
export type EventListener = (...args: EventArgs) => void;

/** What a window holds: the typed client every transport provides (`window.sentinel` in Electron). */
export interface SentinelClient {
  request<C extends Channel>(channel: C, input?: RequestInput<C>): Promise<RequestResult<C>>;
  /** Returns an unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Whether this transport answers `channel`: false for the SHELL_CHANNELS outside the menu-bar app. */
  offers(channel: Channel): boolean;
}

/**
 * What the preload exposes as `window.sentinel` in Electron: the raw outcome of each request, because an error
 * thrown across Electron's context bridge loses its `code` and `field`. The window's client reads it with
 * `outcomeResult`, as every other client does.
 */
export interface IpcBridge {
  request(channel: Channel, input: unknown): Promise<Outcome>;
  /** Every pushed event; returns an unsubscribe function. */
  onEvent(listener: EventListener): () => void;
}

/** The wire schema of the error every transport returns for a refused request (SentinelError is its thrown form). */
export const ApiError = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  field: z.string().optional(),
});
export type ApiError = z.infer<typeof ApiError>;

export const CHANNELS = Object.keys(requests) as Channel[];
export const EVENT_NAMES = Object.keys(events) as EventName[];
export function isChannel(x: unknown): x is Channel {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(requests, x);
}
