/**
 * The border between core handlers and the transports: core refuses with RequestError (it cannot import the
 * API), transports understand ApiFailure. Every transport wraps `sentinel.handlers` with this once.
 */
import { RequestError } from '../core/sentinel/request-error';
import { CHANNELS, type Channel, type Handlers } from '../shared/contract';
import { ApiFailure } from './dispatch';

export function withApiErrors(handlers: Handlers): Handlers {
  const out: Partial<Record<Channel, (args: unknown) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const handler = handlers[channel] as (args: unknown) => unknown;
    out[channel] = async (args) => {
      try {
        return await handler(args);
      } catch (err) {
        throw toApiFailure(err);
      }
    };
  }
  return out as Handlers;
}

export function toApiFailure(err: unknown): unknown {
  return err instanceof RequestError ? new ApiFailure(err.code, err.message, err.field) : err;
}
