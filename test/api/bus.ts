import type { EventEmitter } from 'node:events';
import type { EventArgs, EventListener } from '../../src-main/shared/contract';

/** A transport's `subscribe` over a test's event bus: `bus.emit('event', name, payload)` pushes a contract event. */
export function busSubscriber(bus: EventEmitter) {
  return (listener: EventListener) => {
    const forward = (...args: EventArgs) => listener(...args);
    bus.on('event', forward);
    return () => void bus.off('event', forward);
  };
}
