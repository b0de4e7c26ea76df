/**
 * A shared one-second clock for countdowns and uptimes, instead of a timer per row. It stops while the window is not
 * connected: an uptime that keeps counting for a daemon that is gone would be a lie.
 */
import { connection } from './connection.svelte';

export const clock = $state({ now: Date.now() });
setInterval(() => {
  if (connection.state === 'connected') clock.now = Date.now();
}, 1000);
