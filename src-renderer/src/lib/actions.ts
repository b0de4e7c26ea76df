/**
 * What a person can do to a process or service, as menu items that say why they cannot act (not connected, nothing
 * to stop, no restart command) instead of being offered and doing nothing.
 */
import type { ProcessInfo, ServiceStatus } from '../../../src-main/shared/contract';
import type { MenuItem } from './menu';
import { client } from './client';
import { cannotAct } from './connection.svelte';
import { openView } from './open-view';
import { act, isRunning } from './status.svelte';

export function processMenu(p: ProcessInfo): MenuItem[] {
  const offline = cannotAct();
  const target = { name: p.name };
  const running = isRunning(p);
  return [
    {
      label: `Restart ${p.name}`,
      testid: `restart-${p.name}`,
      disabledReason: offline,
      run: () => void act(() => client.request('processes.restart', target)),
    },
    running
      ? {
          label: `Stop ${p.name}`,
          testid: `stop-${p.name}`,
          disabledReason: offline,
          run: () => void act(() => client.request('processes.stop', target)),
        }
      : {
          label: `Start ${p.name}`,
          testid: `start-${p.name}`,
          disabledReason: offline,
          run: () => void act(() => client.request('processes.start', target)),
        },
    { label: `Logs of ${p.name}`, testid: `logs-${p.name}`, run: () => openView('logs', p.name) },
  ];
}

export function serviceMenu(s: ServiceStatus): MenuItem[] {
  const reason =
    cannotAct() ??
    (!s.installed
      ? `${s.name} is not installed on this Mac`
      : s.can_restart === false
        ? `No restart command is configured for ${s.name}`
        : null);
  return [
    {
      label: `Restart ${s.name}`,
      testid: `service-restart-${s.name}`,
      disabledReason: reason,
      run: () => void act(() => client.request('services.restart', { name: s.name })),
    },
    { label: `Failures of ${s.name}`, run: () => openView('failures') },
  ];
}
