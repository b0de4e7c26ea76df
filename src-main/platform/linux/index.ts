/** Linux diagnostics: iproute2, resolv.conf / systemd-resolved, ss, journald and ps. */
import { existsSync } from 'node:fs';
import { parsePs, psCommand, selectProcesses } from '../ps';
import { checkServiceLabel } from '../service-label';
import type { DiagnosticContext, DiagnosticStep, Platform } from '../types';
import { parseIpAddr, parseIpRoutes } from './ip';
import { filterLogLines, parseJournal } from './journal';
import { parseResolvConf } from './resolv-conf';
import { parseResolvectl } from './resolvectl';
import { parseSs, selectConnections } from './ss';

/**
 * systemd-resolved keeps its state under /run/systemd/resolve while it runs. Only then does `resolvectl status`
 * answer (and /etc/resolv.conf just points at its stub 127.0.0.53); otherwise resolv.conf is the truth.
 */
function resolvedIsRunning(): boolean {
  return existsSync('/run/systemd/resolve');
}

/** The newest lines are the ones that matter; this many fit well inside the collector's output cap. */
export const JOURNAL_MAX_LINES = 5_000;

export function journalCommand(sinceMs: number): string[] {
  // "@<unix seconds>" is journalctl's exact-instant form; relative "-5min" would drift from the failure's start.
  return [
    'journalctl',
    '--since',
    `@${Math.floor(sinceMs / 1000)}`,
    '-n',
    String(JOURNAL_MAX_LINES),
    '--no-pager',
    '-o',
    'short-iso',
  ];
}

export function linuxDiagnosticSteps(ctx: DiagnosticContext, useResolvectl = resolvedIsRunning()): DiagnosticStep[] {
  return [
    { section: 'interfaces', command: ['ip', '-j', 'addr'], parse: parseIpAddr },
    {
      section: 'routes',
      command: {
        commands: [
          ['ip', '-j', 'route'],
          ['ip', '-j', '-6', 'route'],
        ],
      },
      parse: parseIpRoutes,
    },
    useResolvectl
      ? { section: 'dns', command: ['resolvectl', 'status', '--no-pager'], parse: parseResolvectl }
      : { section: 'dns', command: { file: '/etc/resolv.conf' }, parse: parseResolvConf },
    { section: 'connections', command: ['ss', '-tnp'], parse: (raw) => selectConnections(parseSs(raw), ctx) },
    {
      section: 'os_log',
      command: journalCommand(ctx.sinceMs),
      parse: (raw) => filterLogLines(parseJournal(raw), ctx.service),
    },
    { section: 'processes', command: psCommand(), parse: (raw) => selectProcesses(parsePs(raw), ctx) },
  ];
}

export const linuxPlatform: Platform = {
  name: 'linux',
  diagnosticSteps: (ctx) => linuxDiagnosticSteps(ctx),
  serviceRestartCommand: (label) => ['systemctl', 'restart', checkServiceLabel(label)],
};
