import { describe, expect, it } from 'vitest';
import { preferInterpreter } from '../../src-main/host/interpreter-only';

describe('preferInterpreter', () => {
  it.each([
    { execArgv: [], nodeOptions: '', set: true },
    { execArgv: ['--enable-source-maps'], nodeOptions: '--max-old-space-size=256', set: true },
    { execArgv: ['--max-opt=3'], nodeOptions: '', set: false },
    { execArgv: ['--cpu-prof', '--max_opt=1'], nodeOptions: '', set: false },
    { execArgv: [], nodeOptions: '--enable-source-maps --max-opt=999', set: false },
  ])(
    'execArgv $execArgv, NODE_OPTIONS "$nodeOptions": interpreter only = $set',
    async ({ execArgv, nodeOptions, set }) => {
      const flags: string[] = [];
      expect(await preferInterpreter(execArgv, nodeOptions, (f) => flags.push(f))).toBe(set);
      expect(flags).toEqual(set ? ['--max-opt=0'] : []);
    },
  );
});
