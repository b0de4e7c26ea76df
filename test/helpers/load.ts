/**
 * Timing bounds on a shared machine. A bound's slack is set on a quiet machine; when the run queue is longer than
 * the CPUs (several suites at once on 2 cores), every step takes that many times longer, so the slack stretches by
 * the same factor. The bound still fails a design that is slow by itself (a missed event, an extra round).
 */
import { availableParallelism, loadavg } from 'node:os';

export function slackUnderLoad(ms: number): number {
  return Math.round(ms * Math.max(1, loadavg()[0]! / availableParallelism()));
}
