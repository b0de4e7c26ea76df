/**
 * Whether the window reaches Sentinel, and why not. `down` (the daemon is gone or restarting) and `unauthorized`
 * (this link's token is missing or wrong) look the same on the socket — the browser hides a refused handshake's
 * status — so the client asks the HTTP API once after each drop to tell them apart.
 */
export type ConnectionState = 'connecting' | 'connected' | 'down' | 'unauthorized';

export const connection = $state<{
  state: ConnectionState;
  /** Epoch ms of the last data received; shown as "last updated hh:mm:ss" while not connected. */
  lastUpdated: number | null;
  /** Whether the token was missing (no link token at all) rather than refused. */
  tokenMissing: boolean;
}>({ state: 'connecting', lastUpdated: null, tokenMissing: false });

/** Called by every store when fresh data arrives. */
export function touched(): void {
  connection.lastUpdated = Date.now();
}

/** Why an action cannot run now, or null when it can. Buttons are disabled with this as their description. */
export function cannotAct(): string | null {
  switch (connection.state) {
    case 'connected':
      return null;
    case 'unauthorized':
      return 'This window has no valid token';
    default:
      return 'Not connected to Sentinel';
  }
}
