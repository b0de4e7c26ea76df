/**
 * `npm run bench [-- SCENARIO… --quick --peers=sentinel,pm2,supervisord --out=FILE]`: Sentinel against PM2 and
 * supervisord on the same workloads, in the same run. Prints one Markdown table per scenario (ready for
 * docs/benchmarks.md). Every daemon started is stopped and every marked child swept, even on failure.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { availablePeers, type BenchContext } from './lib/harness';
import { renderResult, type ScenarioResult } from './lib/scenario';
import type { PeerName } from './peers/peer';
import { crashScenario } from './scenarios/crash';
import { idleScenario } from './scenarios/idle';
import { logsScenario } from './scenarios/logs';
import { scaleScenario } from './scenarios/scale';
import { soakScenario } from './scenarios/soak';
import { statusScenario } from './scenarios/status';
import { storeScenario } from './scenarios/store';

const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  crash: crashScenario,
  idle: idleScenario,
  status: statusScenario,
  logs: logsScenario,
  scale: scaleScenario,
  store: storeScenario,
  soak: soakScenario,
};
const PEERS: readonly PeerName[] = ['sentinel', 'pm2', 'supervisord'];

export interface BenchArgs {
  scenarios: string[];
  quick: boolean;
  peers: PeerName[];
  out: string | undefined;
}

/** argv → what to run; unknown names are an error that lists the known ones. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { scenarios: [], quick: false, peers: [...PEERS], out: undefined };
  for (const a of argv) {
    if (a === '--quick') args.quick = true;
    else if (a.startsWith('--peers=')) {
      args.peers = a.slice('--peers='.length).split(',').filter(Boolean) as PeerName[];
      const bad = args.peers.filter((p) => !PEERS.includes(p));
      if (bad.length) throw new Error(`--peers: unknown ${bad.join(', ')}; expected some of ${PEERS.join(', ')}`);
    } else if (a.startsWith('--out=')) args.out = a.slice('--out='.length);
    else if (a in SCENARIOS) args.scenarios.push(a);
    else
      throw new Error(
        `unknown argument "${a}"; scenarios: ${Object.keys(SCENARIOS).join(', ')}; flags: --quick --peers=a,b --out=FILE`,
      );
  }
  // The soak takes an hour: it runs when named (`npm run bench -- soak`), not in the default set.
  if (args.scenarios.length === 0) args.scenarios = Object.keys(SCENARIOS).filter((s) => s !== 'soak');
  return args;
}

function supervisordVersion(): string {
  try {
    return execFileSync('supervisord', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'not installed';
  }
}

/** From its package.json: `pm2 --version` would start a God daemon in ~/.pm2 as a side effect. */
function pm2Version(): string {
  return (
    JSON.parse(readFileSync(new URL('../node_modules/pm2/package.json', import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { peers, skipped } = availablePeers(args.peers);
  const header = [
    `# Sentinel bench — ${new Date().toISOString()}`,
    '',
    `command: npm run bench -- ${process.argv.slice(2).join(' ')}`.trimEnd(),
    `machine: ${availableParallelism()} cores, ${process.platform} ${process.arch}; node ${process.version}; pm2 ${pm2Version()}; supervisord ${supervisordVersion()}`,
    // Other work on the machine skews every figure; the load average at the start says how much there was.
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    ...skipped.map((s) => `skipped ${s.name}: ${s.reason}`),
  ];
  console.log(header.join('\n'));
  const ctx: BenchContext = { quick: args.quick, peers, log: (l) => console.log(l) };
  const sections: string[] = [];
  let failed = false;
  for (const name of args.scenarios) {
    console.log(`\n== ${name}${args.quick ? ' (quick)' : ''}`);
    try {
      const result = await SCENARIOS[name]!(name === 'store' ? { ...ctx, peers: [] } : ctx);
      const table = renderResult(result);
      sections.push(table);
      console.log(`\n${table}`);
    } catch (err) {
      failed = true;
      const msg = `### ${name}\n\nfailed: ${(err as Error).stack ?? String(err)}`;
      sections.push(msg);
      console.error(msg);
    }
  }
  if (args.out) writeFileSync(args.out, `${header.join('\n')}\n\n${sections.join('\n\n')}\n`);
  process.exitCode = failed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
