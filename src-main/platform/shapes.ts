/**
 * The structured shapes diagnostics produce, the same on every platform so the windows and reports can show
 * them without knowing where they came from. Fields a platform cannot know are null.
 */

export interface InterfaceAddress {
  family: 'inet' | 'inet6';
  address: string;
  prefixlen: number | null;
  /** Point-to-point peer (utun/WireGuard) or broadcast address. */
  peer?: string;
  broadcast?: string;
  scope?: string;
}

export interface NetInterface {
  name: string;
  index: number | null;
  flags: string[];
  mtu: number | null;
  /** up = administratively up and carrier/active; down otherwise; unknown when the OS does not say. */
  status: 'up' | 'down' | 'unknown';
  mac: string | null;
  addresses: InterfaceAddress[];
}

export interface Route {
  family: 'inet' | 'inet6';
  destination: string;
  gateway: string | null;
  interface: string | null;
  flags: string[];
  /** Extra per-route fields the platform reports (protocol, metric, expire …). */
  extra?: Record<string, string | number>;
}

export interface Resolver {
  /** "resolver #1", a systemd link name, or "resolv.conf". */
  name: string;
  scoped: boolean;
  nameservers: string[];
  search_domains: string[];
  domain: string | null;
  interface: string | null;
  if_index: number | null;
  flags: string[];
}

/** A resolver with nothing filled in yet; the parsers add what their source says. */
export const emptyResolver = (name: string, scoped = false): Resolver => ({
  name,
  scoped,
  nameservers: [],
  search_domains: [],
  domain: null,
  interface: null,
  if_index: null,
  flags: [],
});

export interface Connection {
  protocol: string;
  state: string | null;
  local_address: string;
  local_port: number | null;
  remote_address: string | null;
  remote_port: number | null;
  pid: number | null;
  process: string | null;
}

export interface OsLogLine {
  /** As the OS printed it (local time on macOS, ISO with offset on Linux). */
  timestamp: string;
  type: string | null;
  process: string;
  pid: number | null;
  message: string;
}
