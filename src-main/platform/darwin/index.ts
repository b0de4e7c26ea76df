/** macOS diagnostics: ifconfig, netstat, scutil, lsof, the unified log and ps. */
import { parsePs, psCommand, selectProcesses } from '../ps';
import { checkServiceLabel } from '../service-label';
import type { DiagnosticContext, DiagnosticStep, Platform } from '../types';
import { parseIfconfig } from './ifconfig';
import { logShowCommand, parseLogShow } from './log-show';
import { lsofCommand, parseLsof } from './lsof';
import { parseNetstatRoutes } from './netstat-routes';
import { parseScutilDns } from './scutil-dns';

export function darwinDiagnosticSteps(ctx: DiagnosticContext, now = Date.now()): DiagnosticStep[] {
  return [
    { section: 'interfaces', command: ['ifconfig'], parse: parseIfconfig },
    { section: 'routes', command: ['netstat', '-rn'], parse: parseNetstatRoutes },
    { section: 'dns', command: ['scutil', '--dns'], parse: parseScutilDns },
    // lsof exits 1 when no socket matched: that is an empty answer, not a failure.
    { section: 'connections', command: lsofCommand(ctx), okExitCodes: [0, 1], parse: parseLsof },
    { section: 'os_log', command: logShowCommand(ctx.service, ctx.sinceMs, now), parse: parseLogShow },
    { section: 'processes', command: psCommand(), parse: (raw) => selectProcesses(parsePs(raw), ctx) },
  ];
}

export const darwinPlatform: Platform = {
  name: 'darwin',
  diagnosticSteps: (ctx) => darwinDiagnosticSteps(ctx),
  serviceRestartCommand: (label) => ['launchctl', 'kickstart', '-k', `system/${checkServiceLabel(label)}`],
};
