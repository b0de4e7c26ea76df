import { arch, hostname, release } from 'node:os';
import { describe, expect, it } from 'vitest';
import { macosVersionFromDarwin, reportEnvironment } from '../../../src-main/core/reports/environment';

describe('report environment', () => {
  it.each([
    ['20.6.0', '11.6'],
    ['23.1.0', '14.1'],
    ['24.1.0', '15.1'],
    ['25.0.0', '26.0'],
    ['19.6.0', null],
    ['garbage', null],
  ])('Darwin %s → macOS %s', (darwin, macos) => expect(macosVersionFromDarwin(darwin)).toBe(macos));

  it('describes this machine, without the hostname unless asked', () => {
    const env = reportEnvironment('1.2.3');
    expect(env).toMatchObject({ app_version: '1.2.3', arch: arch(), node: process.version });
    expect(env.os_version).toContain(release());
    expect(env).not.toHaveProperty('hostname');
    expect(reportEnvironment('1.2.3', { includeHostname: true }).hostname).toBe(hostname());
  });
});
