/**
 * Channels the menu-bar app's shell answers itself, over its IPC transport: they act on the app's windows. The
 * host's transports (HTTP/WebSocket for a browser tab, the CLI's socket) have no windows and refuse them
 * (`not_found`, field `channel`); a window asks `SentinelClient.offers` before using one and otherwise does the
 * plain-web thing (a link that navigates), so no button is dead.
 *
 * Its own zod-free file: the windows' WebSocket client reads it, and their bundle leaves zod out.
 * contract.ts checks that each name is one of its channels.
 */
export const SHELL_CHANNELS = ['window.open'] as const;
