/**
 * What a platform (macOS, Linux) contributes to Sentinel: the commands that describe the network and the
 * processes around a failing service, with pure parsers for their output, and how to restart a system service.
 * Commands are argv arrays (run without a shell); a `{ file }` step reads a file instead of running anything.
 */

export const DIAGNOSTIC_SECTIONS = ['interfaces', 'routes', 'dns', 'connections', 'os_log', 'processes'] as const;
export type DiagnosticSection = (typeof DIAGNOSTIC_SECTIONS)[number];

export interface DiagnosticContext {
  /** Service or process name; used to filter logs and, when there are no pids, processes and connections. */
  service: string;
  /** Pids of the service (may be empty for an external service that Sentinel does not own). */
  pids: number[];
  /** Epoch ms: collect OS log lines from this moment on. */
  sinceMs: number;
}

export interface DiagnosticStep {
  section: DiagnosticSection;
  /**
   * One argv, a file to read, or several argvs whose outputs are joined with a newline (Linux needs
   * `ip -j route` and `ip -j -6 route` for one routing table; each prints a single JSON line).
   */
  command: string[] | { file: string } | { commands: string[][] };
  /** Exit codes that still mean "output is valid" (lsof exits 1 when nothing matched). Default [0]. */
  okExitCodes?: number[];
  /** Pure: raw text → structured data. May throw on output it cannot understand; the collector records that. */
  parse: (raw: string) => unknown;
}

export interface Platform {
  name: 'darwin' | 'linux';
  diagnosticSteps(ctx: DiagnosticContext): DiagnosticStep[];
  /** argv that restarts a system service by its label (launchd label or systemd unit); throws on an invalid label. */
  serviceRestartCommand(label: string): string[];
}
