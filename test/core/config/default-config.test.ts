import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_YAML } from '../../../src-main/core/config/default-config';
import { loadConfigText } from '../../../src-main/core/config/load';

describe('the default config', () => {
  const config = loadConfigText(DEFAULT_CONFIG_YAML, 'default');

  it('validates and runs no process of its own', () => {
    expect(config.processes).toEqual([]);
  });

  it('has the upstream internet and DNS checks', () => {
    expect(config.settings.upstream.map((c) => c.type)).toEqual(['internet', 'dns']);
  });

  it('has the NetBird preset', () => {
    const netbird = config.services.find((s) => s.name === 'netbird');
    expect(netbird).toMatchObject({ installed_if: 'netbird', restart: ['netbird', 'service', 'restart'] });
    expect(netbird!.checks.map((c) => c.type)).toEqual(['process', 'netbird']);
  });

  it('documents the launchctl alternative and an example process in comments', () => {
    expect(DEFAULT_CONFIG_YAML).toMatch(/#.*launchctl, kickstart, -k, system\//);
    expect(DEFAULT_CONFIG_YAML).toMatch(/^# {3}- name: api$/m);
  });

  it('the commented example process is itself valid once uncommented', () => {
    const example = DEFAULT_CONFIG_YAML.split('\n')
      .filter((l) => l.startsWith('# processes:') || l.startsWith('#   '))
      .map((l) => l.slice(2))
      .join('\n');
    const parsed = loadConfigText(example, 'example');
    expect(parsed.processes[0]).toMatchObject({ name: 'api', command: 'node', args: ['server.js'] });
  });
});
