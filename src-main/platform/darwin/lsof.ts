/**
 * `lsof -a -i -n -P -p <pids>`: the network sockets of the service. NAME is "local->remote (STATE)",
 * "local (LISTEN)" or "*:port" (UDP), with IPv6 in brackets.
 */
import type { Connection } from '../shapes';
import { fields, lines, splitEndpoint } from '../text';

export function lsofCommand({ pids, service }: { pids: number[]; service: string }): string[] {
  // -a ANDs the selections: without it lsof lists every internet socket OR every file of the pids.
  // +c 0 prints the full command name instead of the first 9 characters.
  const select = pids.length ? ['-p', pids.join(',')] : ['-c', service];
  return ['lsof', '+c', '0', '-a', '-i', '-n', '-P', ...select];
}

export function parseLsof(raw: string): Connection[] {
  const rows = lines(raw);
  const header = rows.shift();
  if (header === undefined) return [];
  if (!/^COMMAND\s+PID/.test(header)) throw new Error('lsof: expected a header line starting with "COMMAND PID"');
  return rows.map((line) => {
    // COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME. With +c 0, lsof escapes spaces in COMMAND as "\x20",
    // so splitting on whitespace stays safe.
    const f = fields(line, 9);
    if (f.length < 9) throw new Error(`lsof: cannot read line "${line}"`);
    const name = f[8]!;
    const m = /^(\S+?)(?:->(\S+))?(?:\s+\(([A-Z_]+)\))?$/.exec(name);
    if (!m) throw new Error(`lsof: cannot read NAME "${name}"`);
    const local = splitEndpoint(m[1]!);
    const remote = m[2] ? splitEndpoint(m[2]) : undefined;
    return {
      protocol: f[7]!.toLowerCase(),
      state: m[3] ?? null,
      local_address: local.address,
      local_port: local.port,
      remote_address: remote?.address ?? null,
      remote_port: remote?.port ?? null,
      pid: Number(f[1]),
      process: f[0]!.replace(/\\x20/g, ' '),
    };
  });
}
