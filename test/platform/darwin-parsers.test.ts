import { describe, expect, it } from 'vitest';
import { darwinDiagnosticSteps, darwinPlatform } from '../../src-main/platform/darwin/index';
import { netmaskToPrefix, parseIfconfig } from '../../src-main/platform/darwin/ifconfig';
import { logShowCommand, parseLogShow } from '../../src-main/platform/darwin/log-show';
import { lsofCommand, parseLsof } from '../../src-main/platform/darwin/lsof';
import { parseNetstatRoutes } from '../../src-main/platform/darwin/netstat-routes';
import { parseScutilDns } from '../../src-main/platform/darwin/scutil-dns';
import { fixture } from './fixture';

describe('darwin ifconfig', () => {
  const ifaces = parseIfconfig(fixture('darwin', 'ifconfig.txt'));

  it('reads every interface with flags, mtu and status', () => {
    expect(ifaces.map((i) => [i.name, i.status, i.mtu])).toEqual([
      ['lo0', 'up', 16384],
      ['gif0', 'down', 1280],
      ['stf0', 'down', 1280],
      ['en0', 'up', 1500],
      ['en1', 'down', 1500],
      ['utun0', 'up', 1380],
      ['utun4', 'up', 1280],
    ]);
    expect(ifaces[3]!.flags).toContain('SMART');
    expect(ifaces[2]!.flags).toEqual([]);
  });

  it('reads inet (netmask → prefix, broadcast) and inet6 (zone → link scope)', () => {
    const en0 = ifaces.find((i) => i.name === 'en0')!;
    expect(en0.mac).toBe('a4:83:e7:1c:5d:02');
    expect(en0.addresses).toEqual([
      { family: 'inet6', address: 'fe80::1c8a:3f2e:9b41:7d20', prefixlen: 64, scope: 'link' },
      { family: 'inet', address: '192.168.1.23', prefixlen: 24, broadcast: '192.168.1.255' },
      { family: 'inet6', address: '2a02:8109:b6c0:1a00:10e4:5b7c:a2f1:9e03', prefixlen: 64 },
    ]);
  });

  it('reads the NetBird utun as a point-to-point address', () => {
    const utun = ifaces.find((i) => i.name === 'utun4')!;
    expect(utun.addresses).toEqual([{ family: 'inet', address: '100.92.14.7', prefixlen: 16, peer: '100.92.14.7' }]);
    expect(utun.mac).toBeNull();
  });

  it.each([
    ['0xffffff00', 24],
    ['0xff000000', 8],
    ['0xffffffff', 32],
    ['0x00000000', 0],
    ['255.255.255.0', null],
  ])('netmask %s → /%s', (hex, prefix) => expect(netmaskToPrefix(hex)).toBe(prefix));

  it('rejects text that is not ifconfig output', () => {
    expect(() => parseIfconfig('\tinet 1.2.3.4')).toThrow(/before any interface/);
  });
});

describe('darwin netstat -rn', () => {
  const routes = parseNetstatRoutes(fixture('darwin', 'netstat-rn.txt'));

  it('reads both the Internet and Internet6 sections', () => {
    expect(routes.filter((r) => r.family === 'inet')).toHaveLength(13);
    expect(routes.filter((r) => r.family === 'inet6')).toHaveLength(10);
  });

  it('keeps gateways, interfaces, flags; link# gateways mean directly attached', () => {
    expect(routes[0]).toEqual({
      family: 'inet',
      destination: 'default',
      gateway: '192.168.1.1',
      interface: 'en0',
      flags: ['U', 'G', 'S', 'c', 'g'],
    });
    expect(routes[1]).toMatchObject({ destination: 'default', gateway: null, interface: 'utun4' });
    expect(routes.find((r) => r.destination === '100.92/16')).toMatchObject({ interface: 'utun4', gateway: null });
  });

  it('records expiry and the not-preferred mark', () => {
    expect(routes.find((r) => r.gateway === 'a4:91:b1:2e:7f:10')!.extra).toEqual({ expire_s: 1186 });
    expect(routes.find((r) => r.destination === '169.254')!.extra).toEqual({ not_preferred: 'yes' });
  });

  it('reads IPv6 default routes over en0 and the utun', () => {
    const v6defaults = routes.filter((r) => r.family === 'inet6' && r.destination === 'default');
    expect(v6defaults.map((r) => [r.gateway, r.interface])).toEqual([
      ['fe80::a691:b1ff:fe2e:7f10%en0', 'en0'],
      ['fe80::%utun0', 'utun0'],
    ]);
  });
});

describe('darwin scutil --dns', () => {
  const resolvers = parseScutilDns(fixture('darwin', 'scutil-dns.txt'));

  it('reads default and scoped resolvers', () => {
    expect(resolvers.map((r) => [r.name, r.scoped])).toEqual([
      ['resolver #1', false],
      ['resolver #2', false],
      ['resolver #3', false],
      ['resolver #4', false],
      ['resolver #1', true],
      ['resolver #2', true],
    ]);
  });

  it('reads search domains, nameservers and the interface index', () => {
    expect(resolvers[0]).toEqual({
      name: 'resolver #1',
      scoped: false,
      nameservers: ['192.168.1.1'],
      search_domains: ['netbird.cloud', 'lan'],
      domain: null,
      interface: 'en0',
      if_index: 14,
      flags: ['Request A records', 'Request AAAA records'],
    });
  });

  it('finds the VPN domain resolver, supplemental and scoped to the utun', () => {
    const vpn = resolvers.filter((r) => r.domain === 'netbird.cloud');
    expect(vpn.map((r) => [r.scoped, r.nameservers, r.interface, r.flags[0]])).toEqual([
      [false, ['100.92.255.254'], null, 'Supplemental'],
      [true, ['100.92.255.254'], 'utun4', 'Scoped'],
    ]);
  });
});

describe('darwin lsof', () => {
  const conns = parseLsof(fixture('darwin', 'lsof.txt'));

  it('reads TCP and UDP sockets with state and endpoints (IPv4 and bracketed IPv6)', () => {
    expect(conns).toHaveLength(6);
    expect(conns[0]).toEqual({
      protocol: 'tcp',
      state: 'ESTABLISHED',
      local_address: '192.168.1.23',
      local_port: 50412,
      remote_address: '34.120.64.11',
      remote_port: 443,
      pid: 612,
      process: 'netbird',
    });
    expect(conns[1]).toEqual({
      protocol: 'udp',
      state: null,
      local_address: '*',
      local_port: 51820,
      remote_address: null,
      remote_port: null,
      pid: 612,
      process: 'netbird',
    });
    expect(conns[3]).toMatchObject({ state: 'LISTEN', local_port: 33073, remote_address: null });
    expect(conns[5]).toMatchObject({
      local_address: '2a02:8109:b6c0:1a00:10e4:5b7c:a2f1:9e03',
      remote_address: '2606:4700::6810:84e5',
      remote_port: 443,
      state: 'CLOSE_WAIT',
    });
  });

  it('empty output (lsof exit 1, nothing matched) is no connections', () => {
    expect(parseLsof('')).toEqual([]);
  });

  it('selects by pids with -a (AND), else by command name', () => {
    expect(lsofCommand({ pids: [612, 613], service: 'netbird' })).toEqual([
      'lsof',
      '+c',
      '0',
      '-a',
      '-i',
      '-n',
      '-P',
      '-p',
      '612,613',
    ]);
    expect(lsofCommand({ pids: [], service: 'netbird' })).toEqual([
      'lsof',
      '+c',
      '0',
      '-a',
      '-i',
      '-n',
      '-P',
      '-c',
      'netbird',
    ]);
  });
});

describe('darwin log show', () => {
  const lines = parseLogShow(fixture('darwin', 'log-show.txt'));

  it('reads timestamp, type, process, pid and message; skips the preamble', () => {
    expect(lines).toHaveLength(5);
    expect(lines[1]).toEqual({
      timestamp: '2026-11-23 07:41:12.004',
      type: 'error',
      process: 'netbird',
      pid: 612,
      message: '[com.netbird:client] signal connection lost: context deadline exceeded',
    });
    expect(lines.map((l) => l.type)).toEqual(['default', 'error', 'info', 'fault', 'debug']);
    expect(lines[4]).toMatchObject({ process: 'kernel', pid: 0 });
  });

  it('folds continuation lines into the previous message', () => {
    expect(lines[3]!.message).toBe('panic: runtime error: invalid memory address\ngoroutine 42 [running]:');
  });

  it('quotes the service in the predicate and covers the time since the failure in minutes', () => {
    const now = 1_800_000_000_000;
    expect(logShowCommand('net"bird', now - 4.5 * 60_000, now)).toEqual([
      'log',
      'show',
      '--last',
      '5m',
      '--style',
      'compact',
      '--predicate',
      'process CONTAINS "net\\"bird" OR eventMessage CONTAINS "net\\"bird"',
    ]);
    expect(logShowCommand('x', now, now)[3]).toBe('1m');
  });
});

describe('darwin platform', () => {
  it('has one step per section and restarts services with launchctl kickstart', () => {
    const steps = darwinDiagnosticSteps({ service: 'netbird', pids: [612], sinceMs: 0 }, 300_000);
    expect(steps.map((s) => s.section)).toEqual(['interfaces', 'routes', 'dns', 'connections', 'os_log', 'processes']);
    expect(steps.find((s) => s.section === 'connections')!.okExitCodes).toEqual([0, 1]);
    expect(darwinPlatform.serviceRestartCommand('io.netbird.client')).toEqual([
      'launchctl',
      'kickstart',
      '-k',
      'system/io.netbird.client',
    ]);
  });
});
