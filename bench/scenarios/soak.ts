/**
 * Scenario 7: soak. Under a steady load — a child crashing twice a second, one logging 100 lines/s, an HTTP
 * service Sentinel checks every second — every peer runs at the same time for the whole window (60 min; 3 with
 * --quick; BENCH_SOAK_MINUTES overrides), and the daemons' RSS and CPU are sampled every few seconds. Figures:
 * RSS growth after warm-up (least-squares slope, MB per hour), mean CPU; and docs/soak.svg plots both over time.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/helpers/net';
import { CHILD, nodeProgram, type Program } from '../lib/children';
import { newMark, type BenchContext } from '../lib/harness';
import { cpuMs, killMarked, MARK_VAR, rssBytes } from '../lib/procfs';
import type { ScenarioResult } from '../lib/scenario';
import type { Peer, PeerName } from '../peers/peer';

export interface SoakPoint {
  /** Seconds since the start of the window. */
  t: number;
  rssMb: number;
  /** % of one core over the last sampling step. */
  cpu: number;
}

/** Pure: least-squares slope of y over x (per unit of x); 0 for fewer than two points. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const COLORS: Partial<Record<PeerName, string>> = { sentinel: '#d33', pm2: '#36c', supervisord: '#393' };

/** Pure: an SVG with two panels (RSS, CPU) over time, one polyline per peer. */
export function soakSvg(series: Partial<Record<PeerName, SoakPoint[]>>, title: string): string {
  const W = 760;
  const H = 220;
  const pad = { l: 56, r: 110, t: 28, b: 30 };
  const all = Object.values(series).flat();
  const tMax = Math.max(1, ...all.map((p) => p.t));
  const panel = (y0: number, key: 'rssMb' | 'cpu', label: string) => {
    const vMax = Math.max(1e-6, ...all.map((p) => p[key])) * 1.1;
    const x = (t: number) => pad.l + ((W - pad.l - pad.r) * t) / tMax;
    const y = (v: number) => y0 + pad.t + (H - pad.t - pad.b) * (1 - v / vMax);
    const lines = Object.entries(series).map(
      ([peer, pts]) =>
        `<polyline fill="none" stroke="${COLORS[peer as PeerName] ?? '#000'}" stroke-width="1.5" points="${pts!
          .map((p) => `${x(p.t).toFixed(1)},${y(p[key]).toFixed(1)}`)
          .join(' ')}"/>`,
    );
    const ticks = [0, 0.5, 1].map(
      (f) =>
        `<text x="${pad.l - 6}" y="${y(vMax * f) + 4}" text-anchor="end" font-size="11">${(vMax * f).toFixed(key === 'cpu' ? 1 : 0)}</text>`,
    );
    return [
      `<text x="${pad.l}" y="${y0 + 18}" font-size="13" font-weight="bold">${label}</text>`,
      `<rect x="${pad.l}" y="${y0 + pad.t}" width="${W - pad.l - pad.r}" height="${H - pad.t - pad.b}" fill="none" stroke="#aaa"/>`,
      ...ticks,
      `<text x="${W - pad.r}" y="${y0 + H - 10}" text-anchor="end" font-size="11">${(tMax / 60).toFixed(1)} min</text>`,
      `<text x="${pad.l}" y="${y0 + H - 10}" font-size="11">0</text>`,
      ...lines,
    ].join('\n');
  };
  const legend = Object.keys(series).map(
    (peer, i) =>
      `<text x="${W - pad.r + 10}" y="${60 + i * 18}" font-size="12" fill="${COLORS[peer as PeerName] ?? '#000'}">${peer}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${2 * H + 30}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${pad.l}" y="16" font-size="13">${title}</text>`,
    `<g transform="translate(0,20)">${panel(0, 'rssMb', 'daemon RSS (MB)')}</g>`,
    `<g transform="translate(0,20)">${panel(H, 'cpu', 'daemon CPU (% of one core)')}</g>`,
    ...legend,
    '</svg>',
  ].join('\n');
}

export const SOAK_SVG = fileURLToPath(new URL('../../docs/soak.svg', import.meta.url));

export async function soakScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const minutes = Number(process.env.BENCH_SOAK_MINUTES ?? (ctx.quick ? 3 : 60));
  const windowMs = minutes * 60_000;
  const stepMs = Math.max(2_000, Math.min(15_000, windowMs / 120));
  const warmupS = Math.min(300, windowMs / 1000 / 4);
  const running: { name: PeerName; peer: Peer; dir: string; mark: string }[] = [];
  const series: Partial<Record<PeerName, SoakPoint[]>> = {};
  try {
    for (const f of ctx.peers) {
      const mark = newMark('soak');
      const dir = mkdtempSync(join(tmpdir(), `sentinel-bench-soak-${f.name}-`));
      const port = await freePort();
      const env = { [MARK_VAR]: mark };
      const programs: Program[] = [
        {
          name: 'crasher',
          command: '/bin/sh',
          args: ['-c', 'sleep 0.5; exit 1'],
          env,
          restart: 'always',
        },
        nodeProgram('logger', CHILD.soakLogger, env, 'always'),
        {
          ...nodeProgram('web', CHILD.soakWeb, { ...env, PORT: String(port) }, 'always'),
          httpCheck: { url: `http://127.0.0.1:${port}/health`, intervalMs: 1_000 },
        },
      ];
      const peer = f.make(dir);
      running.push({ name: f.name, peer, dir, mark });
      await peer.start(programs);
    }
    ctx.log(
      `  soak: ${running.map((r) => r.name).join(', ')} side by side for ${minutes} min, a sample every ${stepMs / 1000} s`,
    );
    const last = new Map(running.map((r) => [r.name, { cpu: cpuMs(r.peer.daemonPid()), at: performance.now() }]));
    const t0 = performance.now();
    while (performance.now() - t0 < windowMs) {
      await sleep(stepMs); // a sampling step of a fixed-length window, not a wait for a condition
      for (const r of running) {
        const pid = r.peer.daemonPid();
        const now = { cpu: cpuMs(pid), at: performance.now() };
        const prev = last.get(r.name)!;
        last.set(r.name, now);
        (series[r.name] ??= []).push({
          t: (now.at - t0) / 1000,
          rssMb: rssBytes(pid) / 1048576,
          cpu: (100 * (now.cpu - prev.cpu)) / (now.at - prev.at),
        });
      }
    }
  } finally {
    for (const r of running) {
      await r.peer.shutdown().catch((err: Error) => console.error(`  ${r.name}: shutdown failed: ${err.message}`));
      killMarked(r.mark);
      if (!process.env.BENCH_KEEP) rmSync(r.dir, { recursive: true, force: true });
    }
  }
  const title = `soak, ${minutes} min: crasher 2/s, logger 100 lines/s, HTTP check 1/s (Sentinel only)`;
  writeFileSync(SOAK_SVG, soakSvg(series, title));
  const growth: Partial<Record<PeerName, number[]>> = {};
  const cpu: Partial<Record<PeerName, number[]>> = {};
  const rss: Partial<Record<PeerName, number[]>> = {};
  for (const [peer, pts] of Object.entries(series) as [PeerName, SoakPoint[]][]) {
    const after = pts.filter((p) => p.t >= warmupS);
    growth[peer] = [slope(after.map((p) => ({ x: p.t / 3600, y: p.rssMb })))];
    cpu[peer] = after.map((p) => p.cpu);
    rss[peer] = [pts.at(-1)?.rssMb ?? 0];
    ctx.log(
      `  soak ${peer}: RSS ${pts[0]?.rssMb.toFixed(1)} → ${pts.at(-1)?.rssMb.toFixed(1)} MB, growth after warm-up ${growth[peer]![0]!.toFixed(1)} MB/h, CPU mean ${(cpu[peer]!.reduce((a, b) => a + b, 0) / Math.max(1, cpu[peer]!.length)).toFixed(2)} %`,
    );
  }
  return {
    scenario: `7. soak, ${minutes} min under load`,
    metrics: [
      { name: 'RSS growth after warm-up', unit: 'MB/h', samples: growth, targets: [{ maxP99: 5 }] },
      { name: 'daemon CPU per step', unit: '% of one core', samples: cpu, targets: [{ peer: 'pm2', maxRatio: 1 }] },
      { name: 'daemon RSS at the end', unit: 'MB', samples: rss },
    ],
    notes: [
      `All peers run at once on the same workload (their own copies): a /bin/sh child that exits 1 after 0.5 s (restart delay 0), a node child printing 100 lines/s, a node HTTP service; Sentinel also checks it over HTTP every second (PM2 and supervisord have no health checks).`,
      `Warm-up: the first ${warmupS.toFixed(0)} s are left out of the growth (least-squares slope of RSS over time) and the CPU figures; a sample every ${stepMs / 1000} s. Plot: docs/soak.svg.`,
    ],
  };
}
