/** `ss -tnp`: TCP sockets with their owning processes; filtered to the service's pids in-process. */
import type { Connection } from '../shapes';
import { fields, lines, splitEndpoint } from '../text';

export function parseSs(raw: string): Connection[] {
  const rows = lines(raw);
  const header = rows.shift();
  if (!header || !/^State\s+Recv-Q/.test(header))
    throw new Error('ss: expected a header line starting with "State Recv-Q"');
  const out: Connection[] = [];
  for (const line of rows) {
    const f = fields(line, 6);
    if (f.length < 5) throw new Error(`ss: cannot read line "${line}"`);
    const local = splitEndpoint(f[3]!);
    const remote = splitEndpoint(f[4]!);
    const users = f[5] ?? '';
    // One socket can be shared by several processes: users:(("nginx",pid=1,fd=6),("nginx",pid=2,fd=6)).
    const owners = [...users.matchAll(/\("([^"]*)",pid=(\d+)/g)].map((m) => ({ process: m[1]!, pid: Number(m[2]) }));
    for (const owner of owners.length ? owners : [{ process: null, pid: null }]) {
      out.push({
        protocol: 'tcp',
        state: f[0]!,
        local_address: local.address,
        local_port: local.port,
        remote_address: remote.address,
        remote_port: remote.port,
        pid: owner.pid,
        process: owner.process,
      });
    }
  }
  return out;
}

/** Connections of the given pids; with no pids, those of processes whose name contains the service name. */
export function selectConnections(
  all: Connection[],
  { pids, service }: { pids: number[]; service: string },
): Connection[] {
  if (pids.length === 0) return all.filter((c) => c.process !== null && service !== '' && c.process.includes(service));
  const wanted = new Set(pids);
  return all.filter((c) => c.pid !== null && wanted.has(c.pid));
}
