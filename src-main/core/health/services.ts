/**
 * What the health monitor watches, derived from the config: the `services:` section (external services such as
 * NetBird) and every supervised process (with its checks, or assessed by its supervisor state when it has none),
 * plus the upstream checks. Check names are made unique here once, so results, rows and reasons agree.
 */
import { existsSync } from 'node:fs';
import type { ScheduledCheck } from '../checks/check-runner';
import { findExecutable } from '../checks/find-executable';
import {
  AssessRulesSchema,
  type AssessRules,
  type CheckSpec,
  type Config,
  type ProcessSpec,
  type ServiceSpec,
} from '../config/schema';

export interface WatchedService {
  name: string;
  kind: 'service' | 'process';
  checks: ScheduledCheck[];
  rules: AssessRules;
  /** External services only. */
  spec?: ServiceSpec;
  /** Supervised processes only. */
  process?: ProcessSpec;
}

export interface WatchPlan {
  services: WatchedService[];
  upstream: ScheduledCheck[];
}

const DEFAULT_RULES: AssessRules = AssessRulesSchema.parse({});

export function watchPlan(config: Config): WatchPlan {
  const taken = new Set<string>();
  const upstream: ScheduledCheck[] = [];
  const name = (spec: CheckSpec, owner: string) => uniqueName(spec.name ?? `${owner}:${spec.type}`, taken);
  const split = (owner: string, specs: CheckSpec[]): ScheduledCheck[] => {
    const own: ScheduledCheck[] = [];
    for (const spec of specs) {
      // A service's check marked upstream (say, its DNS) is about the network every service shares.
      if (spec.upstream) upstream.push({ name: name(spec, owner), service: null, upstream: true, spec });
      else own.push({ name: name(spec, owner), service: owner, upstream: false, spec });
    }
    return own;
  };

  for (const spec of config.settings.upstream)
    upstream.push({ name: name(spec, 'upstream'), service: null, upstream: true, spec });
  const services: WatchedService[] = [
    ...config.services.map((s) => ({
      name: s.name,
      kind: 'service' as const,
      checks: split(s.name, [...serviceProcessCheck(s), ...s.checks]),
      rules: s.rules,
      spec: s,
    })),
    ...config.processes.map((p) => ({
      name: p.name,
      kind: 'process' as const,
      checks: split(
        p.name,
        p.checks.map((c) => ownProcessCheck(c, p.name)),
      ),
      rules: DEFAULT_RULES,
      process: p,
    })),
  ];
  return { services, upstream };
}

/** `process: {name, match}` on a service is a process check like any other. */
function serviceProcessCheck(s: ServiceSpec): CheckSpec[] {
  if (!s.process || (!s.process.name && !s.process.match)) return [];
  const interval = Math.min(30_000, ...s.checks.map((c) => c.interval));
  const match = s.process.match ?? `(^|/)${escapeRegExp(s.process.name!)}(\\s|$)`;
  return [{ type: 'process', name: `${s.name}:process`, match, interval, timeout: 5_000, retries: 0 }];
}

/** A `process` check on a supervised process without a target means that process itself. */
function ownProcessCheck(c: CheckSpec, owner: string): CheckSpec {
  return c.type === 'process' && c.process === undefined && c.match === undefined ? { ...c, process: owner } : c;
}

function uniqueName(base: string, taken: Set<string>): string {
  let n = base;
  for (let i = 2; taken.has(n); i++) n = `${base}#${i}`;
  taken.add(n);
  return n;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `installed_if`: a path must exist; a bare name must be an executable on PATH. No condition: installed. */
export function isInstalled(installedIf: string | undefined, path?: string): boolean {
  if (installedIf === undefined) return true;
  return installedIf.includes('/') ? existsSync(installedIf) : findExecutable(installedIf, path) !== null;
}

/**
 * The time scale of the checks (the fastest check, at most a second): a wall-clock jump beyond twice this is
 * taken for a sleep.
 */
export function tickInterval(plan: WatchPlan): number {
  const intervals = [...plan.upstream, ...plan.services.flatMap((s) => s.checks)].map((c) => c.spec.interval);
  return Math.max(20, Math.min(1_000, ...intervals));
}
