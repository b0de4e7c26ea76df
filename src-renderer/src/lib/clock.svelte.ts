/** A shared one-second clock for countdowns and uptimes, instead of a timer per row. */
export const clock = $state({ now: Date.now() });
setInterval(() => (clock.now = Date.now()), 1000);
