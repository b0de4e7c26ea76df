import { describe, expect, it } from 'vitest';
import { journalCommand, linuxDiagnosticSteps, linuxPlatform } from '../../src-main/platform/linux/index';
import { parseIpAddr, parseIpRoutes } from '../../src-main/platform/linux/ip';
import { filterLogLines, parseJournal } from '../../src-main/platform/linux/journal';
import { parseResolvConf } from '../../src-main/platform/linux/resolv-conf';
import { parseResolvectl } from '../../src-main/platform/linux/resolvectl';
import { parseSs, selectConnections } from '../../src-main/platform/linux/ss';
import { fixture } from './fixture';

// ip-addr.json, ip-route.json, resolv.conf, ss-tnp.txt, ps.txt and journal.txt are real captures from a
// Debian container; resolvectl.txt and journal-sample.txt are written from the documented formats.

describe('linux ip -j addr', () => {
  const ifaces = parseIpAddr(fixture('linux', 'ip-addr.json'));

  it('maps links to interfaces with status from operstate and flags', () => {
    expect(ifaces.map((i) => [i.name, i.index, i.status])).toEqual([
      ['lo', 1, 'up'],
      ['ifb0', 2, 'down'],
      ['ifb1', 3, 'down'],
      ['eth0', 4, 'up'],
    ]);
  });

  it('keeps v4 and v6 addresses with prefix length, broadcast and scope', () => {
    const eth0 = ifaces.find((i) => i.name === 'eth0')!;
    expect(eth0.mac).toBe('02:fc:00:00:00:01');
    expect(eth0.mtu).toBe(1400);
    expect(eth0.addresses[0]).toEqual({
      family: 'inet',
      address: '192.0.2.2',
      prefixlen: 24,
      broadcast: '192.0.2.255',
      scope: 'global',
    });
    expect(eth0.addresses.some((a) => a.family === 'inet6' && a.address === 'fd00::2' && a.prefixlen === 64)).toBe(
      true,
    );
  });

  it('names the problem when the output is not JSON or not an array', () => {
    expect(() => parseIpAddr('Object "addr" is unknown')).toThrow(/ip -j addr: output is not JSON/);
    expect(() => parseIpAddr('{}')).toThrow(/expected a JSON array/);
  });
});

describe('linux ip -j route', () => {
  it('maps v4 and v6 routes (one JSON array per line) with gateway, device and extra fields', () => {
    const raw = `${fixture('linux', 'ip-route.json').trim()}\n${fixture('linux', 'ip-route6.json').trim()}\n`;
    expect(parseIpRoutes(raw)).toEqual([
      { family: 'inet', destination: 'default', gateway: '192.0.2.1', interface: 'eth0', flags: [] },
      {
        family: 'inet',
        destination: '192.0.2.0/24',
        gateway: null,
        interface: 'eth0',
        flags: [],
        extra: { protocol: 'kernel', scope: 'link', prefsrc: '192.0.2.2' },
      },
      {
        family: 'inet6',
        destination: 'fd00::/64',
        gateway: null,
        interface: 'eth0',
        flags: [],
        extra: { protocol: 'kernel', metric: 256, pref: 'medium' },
      },
      {
        family: 'inet6',
        destination: 'fe80::/64',
        gateway: null,
        interface: 'eth0',
        flags: [],
        extra: { protocol: 'kernel', metric: 256, pref: 'medium' },
      },
      {
        family: 'inet6',
        destination: 'default',
        gateway: 'fd00::1',
        interface: 'eth0',
        flags: [],
        extra: { metric: 1024, pref: 'medium' },
      },
    ]);
  });

  it('an empty table is no routes; a broken line names the command', () => {
    expect(parseIpRoutes('[]\n[]\n')).toEqual([]);
    expect(() => parseIpRoutes('[]\nError: ipv6 disabled')).toThrow(/ip -j route: output is not JSON/);
  });
});

describe('linux DNS', () => {
  it('reads resolv.conf (real capture)', () => {
    expect(parseResolvConf(fixture('linux', 'resolv.conf'))).toEqual([
      {
        name: 'resolv.conf',
        scoped: false,
        nameservers: ['10.255.255.53'],
        search_domains: [],
        domain: null,
        interface: null,
        if_index: null,
        flags: [],
      },
    ]);
  });

  it.each([
    [
      'comments and options',
      '# generated\nnameserver 1.1.1.1\n; old\nnameserver ::1\nsearch a.example b.example\noptions edns0 timeout:2\n',
      { nameservers: ['1.1.1.1', '::1'], search_domains: ['a.example', 'b.example'], flags: ['edns0', 'timeout:2'] },
    ],
    ['domain', 'domain corp.example\n', { domain: 'corp.example', nameservers: [] }],
    ['empty file', '', { nameservers: [], search_domains: [] }],
  ])('resolv.conf: %s', (_name, text, expected) => {
    expect(parseResolvConf(text)[0]).toMatchObject(expected);
  });

  it('reads resolvectl status: global block plus per-link (scoped) resolvers; links without DNS dropped', () => {
    const resolvers = parseResolvectl(fixture('linux', 'resolvectl.txt'));
    expect(resolvers.map((r) => [r.name, r.scoped, r.interface, r.nameservers, r.search_domains])).toEqual([
      ['Global', false, null, [], []],
      ['Link 2 (eth0)', true, 'eth0', ['192.168.1.1', 'fd00::1'], ['lan']],
      ['Link 5 (wt0)', true, 'wt0', ['100.92.255.254'], ['netbird.cloud']],
    ]);
    expect(resolvers[0]!.flags).toContain('resolv.conf mode: stub');
    expect(resolvers[2]!.if_index).toBe(5);
  });
});

describe('linux ss -tnp', () => {
  const conns = parseSs(fixture('linux', 'ss-tnp.txt'));

  it('reads the real capture: two ends of a loopback connection owned by node', () => {
    expect(conns).toEqual([
      {
        protocol: 'tcp',
        state: 'ESTAB',
        local_address: '127.0.0.1',
        local_port: 48584,
        remote_address: '127.0.0.1',
        remote_port: 36631,
        pid: 8358,
        process: 'node',
      },
      {
        protocol: 'tcp',
        state: 'ESTAB',
        local_address: '127.0.0.1',
        local_port: 36631,
        remote_address: '127.0.0.1',
        remote_port: 48584,
        pid: 8358,
        process: 'node',
      },
    ]);
  });

  it('reads IPv6, sockets shared by several processes and sockets without an owner', () => {
    const text = [
      'State Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
      'ESTAB 0 0 [::1]:8080 [::1]:51234 users:(("nginx",pid=10,fd=6),("nginx",pid=11,fd=6))',
      'TIME-WAIT 0 0 10.0.0.2:443 10.0.0.9:40000',
    ].join('\n');
    const parsed = parseSs(text);
    expect(parsed.map((c) => [c.local_address, c.local_port, c.pid, c.state])).toEqual([
      ['::1', 8080, 10, 'ESTAB'],
      ['::1', 8080, 11, 'ESTAB'],
      ['10.0.0.2', 443, null, 'TIME-WAIT'],
    ]);
  });

  it('filters by pids, or by process name when there are none', () => {
    expect(selectConnections(conns, { pids: [8358], service: 'x' })).toHaveLength(2);
    expect(selectConnections(conns, { pids: [1], service: 'node' })).toHaveLength(0);
    expect(selectConnections(conns, { pids: [], service: 'node' })).toHaveLength(2);
  });

  it('rejects output without the header', () => {
    expect(() => parseSs('ESTAB 0 0 a:1 b:2')).toThrow(/ss: expected a header/);
  });
});

describe('linux journalctl', () => {
  it('reads the real (empty) capture as no lines', () => {
    expect(parseJournal(fixture('linux', 'journal.txt'))).toEqual([]);
  });

  it('reads short-iso lines and greps the service in process names and messages', () => {
    const all = parseJournal(fixture('linux', 'journal-sample.txt'));
    expect(all).toHaveLength(7);
    expect(all[3]).toEqual({
      timestamp: '2026-11-23T06:41:12+0000',
      type: null,
      process: 'kernel',
      pid: null,
      message: 'wt0: link becomes not ready',
    });
    const mine = filterLogLines(all, 'NetBird');
    expect(mine.map((l) => [l.process, l.pid])).toEqual([
      ['systemd', 1],
      ['netbird', 612],
      ['netbird', 612],
      ['systemd', 1],
    ]);
  });

  it('asks journalctl for the newest lines since the exact second', () => {
    expect(journalCommand(1_800_000_000_999)).toEqual([
      'journalctl',
      '--since',
      '@1800000000',
      '-n',
      '5000',
      '--no-pager',
      '-o',
      'short-iso',
    ]);
  });
});

describe('linux platform', () => {
  it('uses resolvectl while systemd-resolved runs, else reads resolv.conf; restarts with systemctl', () => {
    const ctx = { service: 'x', pids: [], sinceMs: 0 };
    expect(linuxDiagnosticSteps(ctx, true).find((s) => s.section === 'dns')!.command).toEqual([
      'resolvectl',
      'status',
      '--no-pager',
    ]);
    expect(linuxDiagnosticSteps(ctx, false).find((s) => s.section === 'dns')!.command).toEqual({
      file: '/etc/resolv.conf',
    });
    expect(linuxPlatform.serviceRestartCommand('netbird')).toEqual(['systemctl', 'restart', 'netbird']);
  });
});
