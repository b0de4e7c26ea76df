import type { EventEmitter } from 'node:events';
import type { EventName } from '../../src-main/shared/contract';

/** A transport's `subscribe` over a test's event bus: `bus.emit('event', name, payload)` pushes a contract event. */
export function busSubscriber(bus: EventEmitter) {
  return (listener: (event: EventName, payload: unknown) => void) => {
    const forward = (e: EventName, p: unknown) => listener(e, p);
    bus.on('event', forward);
    return () => void bus.off('event', forward);
  };
}
