/**
 * Per-event listeners over the every-event stream. Its own file, without zod, so the windows can use it and keep
 * the validation library out of their bundle (contract.ts is imported there for types only).
 */
import type { EventArgs, EventListener, EventName, EventPayload } from './contract';

/** An every-event listener that hands `event`'s payloads to a listener of that one event. */
export function listenerFor<E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
): EventListener {
  return (name, payload) => {
    // Narrowing `name` to the generic E does not narrow `payload` in TypeScript; the check above makes it so.
    if (name === event) (listener as (p: EventArgs[1]) => void)(payload);
  };
}
