/** A ProcessInfo as `processes.list` returns it: a running process with nothing remarkable, overridden per test. */
import type { ProcessInfo } from '../../src-main/shared/contract';

export const processInfo = (p: Partial<ProcessInfo> & Pick<ProcessInfo, 'name'>): ProcessInfo => ({
  group: null,
  state: 'running',
  pid: 100,
  started_at: 1,
  uptime_ms: 5,
  restarts: 0,
  last_exit_code: null,
  last_signal: null,
  reason: null,
  next_attempt_at: null,
  cpu: null,
  memory: null,
  schedule: null,
  ...p,
});
