/** The words the tray shows for a status: the menu's first line and the tooltip. */
import type { Color, OverallStatus } from '../shared/contract';

const LABEL: Record<Color, string> = { green: 'Green', yellow: 'Yellow', red: 'Red' };
/** Shape cues so the colours are told apart without colour vision: ✓ ! ×. */
export const SHAPE: Record<Color, string> = { green: '✓', yellow: '!', red: '×' };

export function statusLine(overall: Pick<OverallStatus, 'status' | 'reason'>): string {
  return `${SHAPE[overall.status]} ${LABEL[overall.status]} — ${overall.reason}`;
}

/**
 * The status line, and on a second line the rule that set the colour (why yellow or red, not only that it is).
 * `attachedTo`: the app shows a `sentinel run`'s supervisor rather than its own, and says so.
 */
export function tooltip(overall: Pick<OverallStatus, 'status' | 'reason' | 'rule'>, attachedTo?: string): string {
  const line = `Sentinel: ${statusLine(overall)}${attachedTo ? ` (${attachedTo})` : ''}`;
  return overall.rule
    ? `${line}
${overall.rule}`
    : line;
}
