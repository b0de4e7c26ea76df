import { describe, expect, it } from 'vitest';
import { IllegalTransition, transition, type ProcessEvent } from '../../../src-main/core/supervisor/state-machine';
import type { ProcessState } from '../../../src-main/shared/contract';

describe('process state machine', () => {
  it.each<[ProcessState, ProcessEvent, ProcessState]>([
    ['stopped', 'start', 'starting'],
    ['starting', 'spawned', 'starting'],
    ['starting', 'started', 'running'],
    ['starting', 'crashed', 'backoff'],
    ['starting', 'finished', 'exited'],
    ['starting', 'gave_up', 'fatal'],
    ['running', 'crashed', 'backoff'],
    ['running', 'finished', 'exited'],
    ['running', 'gave_up', 'fatal'],
    ['running', 'stop', 'stopping'],
    ['starting', 'stop', 'stopping'],
    ['stopping', 'stopped', 'stopped'],
    ['backoff', 'retry', 'starting'],
    ['backoff', 'start', 'starting'],
    ['backoff', 'cancel', 'stopped'],
    ['exited', 'start', 'starting'],
    ['exited', 'cancel', 'stopped'],
    ['fatal', 'start', 'starting'],
    ['fatal', 'retry', 'starting'],
    ['fatal', 'cancel', 'stopped'],
  ])('%s --%s--> %s', (from, event, to) => expect(transition(from, event)).toBe(to));

  it.each<[ProcessState, ProcessEvent]>([
    ['stopped', 'stop'],
    ['stopped', 'crashed'],
    ['running', 'start'],
    ['running', 'started'],
    ['backoff', 'started'],
    ['backoff', 'stop'],
    ['stopping', 'start'],
    ['stopping', 'crashed'],
    ['exited', 'retry'],
    ['fatal', 'stopped'],
  ])('refuses %s --%s-->', (from, event) => {
    expect(() => transition(from, event)).toThrow(IllegalTransition);
    expect(() => transition(from, event)).toThrow(`"${event}" in state ${from}`);
  });
});
