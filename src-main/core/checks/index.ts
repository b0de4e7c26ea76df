/** Runs one check of any type: the single place that maps a check type to its module. */
import type { CheckResult } from '../../shared/contract';
import type { CheckSpec } from '../config/schema';
import * as command from './command';
import * as dns from './dns';
import * as http from './http';
import * as internet from './internet';
import * as netbird from './netbird';
import * as processCheck from './process';
import * as tcp from './tcp';
import type { CheckContext } from './types';

export function runCheck(spec: CheckSpec, ctx: CheckContext): Promise<CheckResult> {
  switch (spec.type) {
    case 'process':
      return processCheck.run(spec, ctx);
    case 'http':
      return http.run(spec, ctx);
    case 'tcp':
      return tcp.run(spec, ctx);
    case 'dns':
      return dns.run(spec, ctx);
    case 'internet':
      return internet.run(spec, ctx);
    case 'command':
      return command.run(spec, ctx);
    case 'netbird':
      return netbird.run(spec, ctx);
  }
}
