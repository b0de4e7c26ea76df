/** Live status: one snapshot, kept current by `status.changed` and `process.changed` pushes (no polling). */
import type { OverallStatus, ProcessInfo } from '../../../src-main/shared/contract';
import { RUNNING_STATES } from '../../../src-main/shared/states';
import { client, onReconnect } from './client';
import { cannotAct, touched } from './connection.svelte';

export const status = $state<{
  overall: OverallStatus | null;
  processes: ProcessInfo[];
  /** False until the first snapshot: "Loading…" is not "no processes". */
  loaded: boolean;
  dryRun: boolean;
  error: string | null;
}>({
  overall: null,
  processes: [],
  loaded: false,
  dryRun: false,
  error: null,
});

async function load(): Promise<void> {
  try {
    const snap = await client.request('status.get');
    status.overall = snap.overall;
    status.processes = snap.processes;
    status.dryRun = snap.dry_run;
    status.loaded = true;
    status.error = null;
    touched();
  } catch (err) {
    status.error = (err as Error).message;
  }
}

client.on('status.changed', (overall) => {
  status.overall = overall;
  touched();
});
client.on('process.changed', (p) => {
  const i = status.processes.findIndex((x) => x.name === p.name);
  if (i === -1) status.processes.push(p);
  else status.processes[i] = p;
  touched();
});
client.on('settings.changed', (s) => (status.dryRun = s.dry_run));
// Subscribing to these is what keeps every process's CPU/memory sampled while a window is open.
client.on('processes.usage', (samples) => {
  for (const u of samples) {
    const p = status.processes.find((x) => x.name === u.process);
    if (p) Object.assign(p, { cpu: u.cpu, memory: u.memory });
  }
});
onReconnect(load);
void load();

/** Runs an action and reports its failure in the status store instead of throwing into a click handler. */
export async function act(fn: () => Promise<unknown>): Promise<void> {
  const why = cannotAct();
  if (why) {
    status.error = why;
    return;
  }
  try {
    await fn();
    status.error = null;
  } catch (err) {
    status.error = (err as Error).message;
  }
}

/** The supervisor means it to run (Stop is offered, not Start). */
export const isRunning = (p: ProcessInfo): boolean => RUNNING_STATES.has(p.state);
