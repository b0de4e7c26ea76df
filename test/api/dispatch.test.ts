import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src-main/api/dispatch';
import { SentinelError } from '../../src-main/shared/errors';
import type { Handlers } from '../../src-main/shared/contract';

/** Only the handlers a test calls; the dispatcher never touches the others. */
function handlers(partial: Partial<Handlers>): Handlers {
  return partial as Handlers;
}

describe('dispatch', () => {
  const seen: unknown[] = [];
  const dispatch = createDispatcher(
    handlers({
      'failures.list': (args) => {
        seen.push(args);
        return { items: [], total: 0 };
      },
      'failures.get': ({ id }) => {
        throw new SentinelError('not_found', `no failure ${id}`, 'id');
      },
      'processes.restart': () => {
        throw new Error('disk on fire');
      },
    }),
  );

  it('fills defaults and passes validated input', async () => {
    expect(await dispatch('failures.list', undefined)).toEqual({ ok: true, result: { items: [], total: 0 } });
    expect(seen.at(-1)).toEqual({ limit: 50, offset: 0 });
  });

  it('names the bad field', async () => {
    const r = await dispatch('failures.list', { limit: 'x' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bad_request');
      expect(r.error.field).toBe('limit');
      expect(r.error.message).toMatch(/^limit: /);
    }
  });

  it('refuses unknown keys and channels', async () => {
    const r = await dispatch('failures.list', { limit: 5, sneaky: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await dispatch('rm -rf', {})).toMatchObject({ ok: false, error: { code: 'not_found', field: 'channel' } });
    expect(await dispatch('toString', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it("refuses the menu-bar app's own channels: the host has no windows to open", async () => {
    const r = await dispatch('window.open', { view: 'logs' });
    expect(r).toMatchObject({ ok: false, error: { code: 'not_found', field: 'channel' } });
    if (!r.ok) expect(r.error.message).toMatch(/^window\.open is offered only by the menu-bar app/);
  });

  it('validates bulk targets: exactly one of name, group or all', async () => {
    expect(await dispatch('processes.restart', { name: 'a', all: true })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await dispatch('processes.restart', {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('turns handler errors into error results, keeping the code of a SentinelError', async () => {
    expect(await dispatch('failures.get', { id: 7 })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'no failure 7', field: 'id' },
    });
    expect(await dispatch('processes.restart', { all: true })).toEqual({
      ok: false,
      error: { code: 'internal', message: 'disk on fire' },
    });
  });
});
