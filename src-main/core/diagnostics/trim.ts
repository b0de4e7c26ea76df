/** Bounding text that goes into the store and into reports: diagnostics output can be megabytes. */

/** Keeps the head and the tail of `text` within `max` characters, marking what was cut in the middle. */
export function trimMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = `\n… [${text.length - max} characters cut] …\n`;
  const room = Math.max(0, max - marker.length);
  const head = Math.ceil(room / 2);
  return text.slice(0, head) + marker + text.slice(text.length - (room - head));
}
