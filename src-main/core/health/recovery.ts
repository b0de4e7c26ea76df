/**
 * Recovery of a red service: record the failure FIRST (so even a crash mid-recovery leaves a trace), collect
 * diagnostics, then restart with backoff under an hourly cap, wait for the checks to pass and write the outcome.
 * Never restarts while the upstream is down (the service is not the problem) and only describes in dry-run.
 * One incident = one failure row: from the first red until the service is green again.
 */
import type { FailureSummary, TimelineEntry } from '../../shared/contract';
import { RecoverySchema } from '../config/schema';
import type { CommandOutcome } from '../diagnostics/run-command';
import type { FailuresRepo } from '../store/failures-repo';
import type { Logger } from '../util/logger';
import type { ServiceAssessment, Verdict } from './assessor';
import { mayRestart, pruneHistory, recoveryDelay } from './restart-budget';
import type { WatchedService } from './services';
import { sleepUnlessAborted } from '../util/sleep';

export interface DiagnoseContext {
  service: string;
  pids: number[];
  /** Epoch ms: OS logs from this moment on are relevant. */
  since: number;
  platform: NodeJS.Platform;
}

export type Diagnose = (ctx: DiagnoseContext) => Promise<Record<string, unknown>>;
export type RunCommand = (argv: string[], opts: { timeoutMs: number }) => Promise<CommandOutcome>;

export interface RecoveryDeps {
  failures: FailuresRepo;
  logger: Logger;
  now: () => number;
  restartOwned: (name: string) => Promise<unknown>;
  runCommand: RunCommand;
  diagnose?: Diagnose;
  /** Resolves true once every check of the service passed in an attempt begun at or after `since`. */
  waitHealthy: (service: string, since: number, timeoutMs: number, signal: AbortSignal) => Promise<boolean>;
  dryRun: () => boolean;
  onCreated: (f: FailureSummary) => void;
  onUpdated: (f: FailureSummary) => void;
}

export const LEFT_TO_SUPERVISOR = 'left to the supervisor: its restart policy handles a process that is not running';
/** Restart commands get this long to finish (the service itself then has `recovery.wait` to become healthy). */
/** The schema's defaults, the same a service without a `recovery` block gets. */
const DEFAULT_RECOVERY = RecoverySchema.parse(undefined);
const RESTART_COMMAND_TIMEOUT_MS = 60_000;
/** Diagnostics look back this far: the trouble usually starts before the checks notice. */
const DIAGNOSTICS_LOOKBACK_MS = 5 * 60_000;

interface Incident {
  id: number;
  startedAt: number;
  upstream: boolean;
  attempts: number;
}

export class Recovery {
  private readonly incidents = new Map<string, Incident>();
  private readonly active = new Map<string, Promise<void>>();
  private readonly history = new Map<string, number[]>();
  private stopper = new AbortController();
  private stopped = false;

  constructor(private readonly deps: RecoveryDeps) {}

  isRecovering(name: string): boolean {
    return this.active.has(name);
  }

  /** Settles when any recovery under way has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active.values()]);
  }

  /**
   * Aborts the waits of every recovery under way and makes them write nothing more: after stop the store may be
   * closed at any moment (shutdown), and a recovery that slept through it used to restart and write for minutes.
   */
  stop(): void {
    this.stopped = true;
    this.stopper.abort();
  }

  /** After stop(): recoveries may run again (the monitor was started again). */
  resume(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopper = new AbortController();
  }

  /** Restarts counted against max_per_hour for a service. */
  restartHistory(name: string): readonly number[] {
    return this.history.get(name) ?? [];
  }

  /** The service is red: open an incident (once) and restart it, or resume restarting a stalled incident. */
  onRed(target: WatchedService, a: ServiceAssessment, pids: number[]): void {
    if (this.active.has(target.name)) return;
    const open = this.incidents.get(target.name);
    if (open && open.upstream) {
      // The upstream came back but the service did not: from here on it is the service's own failure.
      this.close(target.name, open, 'upstream back, service still failing', false);
    } else if (open) {
      if (!this.canRestart(target, a.verdict)) return;
      this.track(
        target.name,
        this.restartLoop(target, open, [{ at: this.deps.now(), event: 'still red', detail: a.status.reason }]),
      );
      return;
    }
    this.track(target.name, this.openIncident(target, a, pids, false));
  }

  /** Failing while the upstream is down: recorded with upstream_down = 1, never restarted. */
  onUpstreamHeld(target: WatchedService, a: ServiceAssessment, pids: number[]): void {
    if (this.active.has(target.name) || this.incidents.has(target.name)) return;
    this.track(target.name, this.openIncident(target, a, pids, true));
  }

  /** The service is green again: close its incident if recovery is not already doing so. */
  onGreen(name: string): void {
    const open = this.incidents.get(name);
    if (!open || this.active.has(name)) return;
    this.close(name, open, open.attempts > 0 ? 'recovered later' : 'recovered without restart', true);
  }

  /** Manual "Restart <service>" from the menu: a person asked, so max_per_hour (a guard against loops) does not apply. */
  async restartNow(target: WatchedService): Promise<{ ok: boolean; message: string }> {
    const how = this.describeRestart(target);
    if (how === null) return { ok: false, message: `${target.name}: no restart command configured` };
    if (this.deps.dryRun()) return { ok: true, message: `dry run: would ${how}` };
    const error = await this.restart(target);
    return error === null
      ? { ok: true, message: `${target.name}: restarted (${how})` }
      : { ok: false, message: `${target.name}: restart failed: ${error}` };
  }

  private track(name: string, p: Promise<void>): void {
    const guarded = p
      .catch((err: unknown) =>
        this.deps.logger.error(`recovery of ${name} failed`, { error: (err as Error)?.message ?? String(err) }),
      )
      .finally(() => this.active.delete(name));
    this.active.set(name, guarded);
  }

  private async openIncident(
    target: WatchedService,
    a: ServiceAssessment,
    pids: number[],
    upstream: boolean,
  ): Promise<void> {
    const { now, failures } = this.deps;
    const startedAt = now();
    const failing = a.status.checks.filter((c) => !c.ok);
    const created = failures.insert({
      service: target.name,
      kind: a.verdict === 'hung' || a.verdict === 'down' ? a.verdict : 'unreachable',
      started_at: startedAt,
      detected_by: failing[0]?.name ?? null,
      reason: a.status.reason,
      status: a.status,
      checks: a.status.checks,
      upstream_down: upstream,
      timeline: [
        {
          at: startedAt,
          event: upstream ? 'detected (upstream down)' : 'detected',
          detail: `${a.status.reason} — ${a.status.rule}`,
        },
      ],
    });
    const incident: Incident = { id: created.id, startedAt, upstream, attempts: 0 };
    this.incidents.set(target.name, incident);
    this.deps.onCreated(created);
    this.deps.logger.warn(`${target.name} failed: ${a.status.reason}`, { failure: created.id, upstream });

    await this.collectDiagnostics(target.name, incident, pids);
    if (upstream) {
      this.update(incident, {
        outcome: 'not restarted: upstream down',
        append: [
          { at: now(), event: 'not restarted', detail: 'upstream down: the network, not the service, is failing' },
        ],
      });
      return;
    }
    const why = this.whyNoRestart(target, a.verdict);
    if (why !== null) {
      this.update(incident, { outcome: why, append: [{ at: now(), event: 'not restarted', detail: why }] });
      return;
    }
    await this.restartLoop(target, incident, []);
  }

  private async collectDiagnostics(name: string, incident: Incident, pids: number[]): Promise<void> {
    if (!this.deps.diagnose) return;
    const started = this.deps.now();
    let diagnostics: Record<string, unknown>;
    try {
      diagnostics = await this.deps.diagnose({
        service: name,
        pids,
        since: incident.startedAt - DIAGNOSTICS_LOOKBACK_MS,
        platform: process.platform,
      });
    } catch (err) {
      diagnostics = { error: `diagnostics failed: ${(err as Error)?.message ?? String(err)}` };
    }
    const took = this.deps.now() - started;
    this.update(
      incident,
      {
        diagnostics,
        append: [
          {
            at: this.deps.now(),
            event: 'diagnostics collected',
            detail: `${Object.keys(diagnostics).length} sections in ${took} ms`,
          },
        ],
      },
      false,
    );
  }

  private whyNoRestart(target: WatchedService, verdict?: Verdict): string | null {
    // An owned process that is not running is the supervisor's to restart (its policy paces crashes and decides
    // when to give up); recovery only restarts owned processes that run but fail their checks (hung).
    if (target.kind === 'process' && verdict === 'down') return LEFT_TO_SUPERVISOR;
    if (target.spec && !target.spec.recovery.enabled) return 'recovery disabled';

    if (this.describeRestart(target) === null) return 'no restart command configured';
    return null;
  }

  private canRestart(target: WatchedService, verdict: Verdict): boolean {
    return (
      this.whyNoRestart(target, verdict) === null &&
      mayRestart(this.restartHistory(target.name), this.deps.now(), this.pacing(target).max_per_hour)
    );
  }

  private pacing(target: WatchedService) {
    // Supervised processes restart through the supervisor, whose own policy already paces crashes; they get the
    // config's default pacing (the hourly cap included) so one that keeps failing its checks is not restarted in
    // a loop.
    return target.spec?.recovery ?? DEFAULT_RECOVERY;
  }

  private describeRestart(target: WatchedService): string | null {
    if (target.kind === 'process') return `restart process ${target.name}`;
    return target.spec?.restart ? `run \`${target.spec.restart.join(' ')}\`` : null;
  }

  private async restartLoop(target: WatchedService, incident: Incident, preface: TimelineEntry[]): Promise<void> {
    const { now } = this.deps;
    const pacing = this.pacing(target);
    // This loop's own signal: stop() aborts it for good, even if the recovery is resumed later.
    const { signal } = this.stopper;
    if (preface.length > 0) this.update(incident, { append: preface }, false);
    for (;;) {
      if (signal.aborted) return;
      if (!mayRestart(this.restartHistory(target.name), now(), pacing.max_per_hour)) {
        const detail = `max_per_hour: ${pacing.max_per_hour} restarts in the last hour`;
        this.update(incident, {
          outcome: 'restart limit reached',
          append: [{ at: now(), event: 'restart skipped', detail }],
        });
        this.deps.logger.warn(`${target.name}: not restarting, ${detail}`);
        return;
      }
      incident.attempts++;
      const wait = recoveryDelay(incident.attempts, pacing);
      if (!(await sleepUnlessAborted(wait, signal))) return;
      const how = this.describeRestart(target)!;
      if (this.deps.dryRun()) {
        this.update(incident, {
          outcome: 'dry run',
          append: [{ at: now(), event: 'dry run', detail: `would ${how}` }],
        });
        this.deps.logger.info(`${target.name}: dry run, would ${how}`);
        return;
      }
      const restartAt = now();
      this.history.set(target.name, [...pruneHistory(this.restartHistory(target.name), restartAt), restartAt]);
      this.update(
        incident,
        {
          restart_attempted: true,
          append: [{ at: restartAt, event: `restart attempt ${incident.attempts}`, detail: how }],
        },
        false,
      );
      const error = await this.restart(target);
      if (error !== null)
        this.update(incident, { append: [{ at: now(), event: 'restart command failed', detail: error }] }, false);
      // Only checks begun once the restart is done speak for the new run: one under way meanwhile may pass on the
      // old one (or on what it left behind) and call a service recovered that is still starting.
      const healthy = await this.deps.waitHealthy(target.name, now(), pacing.wait, signal);
      if (healthy) {
        const at = now();
        this.update(incident, {
          restart_successful: true,
          recovered_at: at,
          time_to_recover_ms: at - incident.startedAt,
          outcome: 'recovered after restart',
          append: [{ at, event: 'recovered', detail: `checks pass again ${at - restartAt} ms after the restart` }],
        });
        this.incidents.delete(target.name);
        return;
      }
      if (signal.aborted) return;
      this.update(
        incident,
        {
          restart_successful: false,
          append: [{ at: now(), event: 'still failing', detail: `checks did not pass within ${pacing.wait} ms` }],
        },
        false,
      );
    }
  }

  /** Runs the restart; returns an error description or null. */
  private async restart(target: WatchedService): Promise<string | null> {
    try {
      if (target.kind === 'process') {
        await this.deps.restartOwned(target.name);
        return null;
      }
      const argv = target.spec?.restart;
      if (!argv) return 'no restart command configured';
      const r = await this.deps.runCommand(argv, { timeoutMs: RESTART_COMMAND_TIMEOUT_MS });
      if (r.spawnError) return r.spawnError;
      if (r.timedOut) return `timed out after ${RESTART_COMMAND_TIMEOUT_MS} ms`;
      if (r.code !== 0)
        return `exited with code ${r.code}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n').pop()!.slice(0, 300)}` : ''}`;
      return null;
    } catch (err) {
      return (err as Error)?.message ?? String(err);
    }
  }

  private close(name: string, incident: Incident, outcome: string, recovered: boolean): void {
    const at = this.deps.now();
    this.update(incident, {
      ...(recovered ? { recovered_at: at, time_to_recover_ms: at - incident.startedAt } : {}),
      outcome,
      append: [{ at, event: recovered ? 'recovered' : 'closed', detail: outcome }],
    });
    this.incidents.delete(name);
  }

  private update(incident: Incident, u: Parameters<FailuresRepo['update']>[1], announce = true): void {
    if (this.stopped) return; // no store write after stop: the store may already be closed
    try {
      const s = this.deps.failures.update(incident.id, u);
      if (announce) this.deps.onUpdated(s);
    } catch (err) {
      this.deps.logger.error(`could not update failure ${incident.id}`, { error: (err as Error).message });
    }
  }
}
