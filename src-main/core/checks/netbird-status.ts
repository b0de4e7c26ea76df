/**
 * The documented shape of `netbird status --json` (NetBird client ≥ 0.25), only the fields Sentinel reads;
 * everything else passes through untouched. Pure: parse + summarise, fixture-tested.
 */
import { z } from 'zod';

const Peer = z.looseObject({
  fqdn: z.string().optional(),
  netbirdIp: z.string().optional(),
  status: z.string(),
  connectionType: z.string().optional(),
});

export const NetbirdStatusSchema = z.looseObject({
  peers: z.looseObject({
    total: z.number().int().nonnegative(),
    connected: z.number().int().nonnegative(),
    details: z.array(Peer).default([]),
  }),
  management: z.looseObject({ url: z.string().optional(), connected: z.boolean(), error: z.string().optional() }),
  signal: z.looseObject({ url: z.string().optional(), connected: z.boolean(), error: z.string().optional() }),
  netbirdIp: z.string().optional(),
  daemonVersion: z.string().optional(),
  cliVersion: z.string().optional(),
});

export interface NetbirdSummary {
  installed: true;
  peers_connected: number;
  peers_total: number;
  management_connected: boolean;
  signal_connected: boolean;
  ip: string | null;
  version: string | null;
}

/** Parses the JSON text; throws an Error naming the first field that does not match. */
export function parseNetbirdStatus(text: string): NetbirdSummary {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`netbird status --json: output is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = NetbirdStatusSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`netbird status --json: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const s = parsed.data;
  return {
    installed: true,
    peers_connected: s.peers.connected,
    peers_total: s.peers.total,
    management_connected: s.management.connected,
    signal_connected: s.signal.connected,
    ip: s.netbirdIp ?? null,
    version: s.daemonVersion ?? null,
  };
}

/** Pure: healthy when management and signal are connected and enough peers are (no peers: nothing to reach). */
export function judgeNetbird(s: NetbirdSummary, minPeersConnected: number): string | null {
  const problems: string[] = [];
  if (!s.management_connected) problems.push('management disconnected');
  if (!s.signal_connected) problems.push('signal disconnected');
  const share = s.peers_total === 0 ? 1 : s.peers_connected / s.peers_total;
  const peers = `${s.peers_connected}/${s.peers_total} peers reachable`;
  if (share < minPeersConnected || (minPeersConnected > 0 && s.peers_connected === 0 && s.peers_total > 0)) {
    problems.push(`${peers} (need ${Math.round(minPeersConnected * 100)}%)`);
  }
  return problems.length === 0 ? null : problems.join(', ');
}
