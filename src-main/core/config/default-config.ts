/**
 * The config a new user finds: written to the config path on the first run when there is no file. It is a
 * commented YAML text rather than a serialised object because the comments are the documentation people read.
 */
export const DEFAULT_CONFIG_YAML = `# Sentinel configuration. Durations: 500ms, 30s, 5m, 1h30m. Sizes: 500MB, 1GB.
# Changes are applied when you save (only the processes you changed restart).
version: 1

settings:
  log_level: info
  notifications: true
  # Upstream checks tell "the whole Mac is offline" apart from "one service is down":
  # while they fail, services are not restarted for it.
  upstream:
    - name: internet
      type: internet
      interval: 30s
      timeout: 5s
    - name: dns
      type: dns
      hostname: example.com
      interval: 60s
      timeout: 5s

# Processes Sentinel starts and keeps alive (like launchd, PM2 or supervisord programs).
processes: []
# Example (remove the [] above and uncomment):
# processes:
#   - name: api
#     command: node
#     args: [server.js]
#     cwd: ~/code/api
#     env: { PORT: "3000" }
#     restart: { policy: on-failure, delay: 1s, backoff: 2, max_delay: 1m, max_retries: 5 }
#     stop: { signal: SIGTERM, timeout: 10s }
#     checks:
#       - type: http
#         url: http://127.0.0.1:3000/health
#         interval: 30s

# Services that run on their own (Sentinel watches and, if they fail, restarts them).
services:
  # NetBird preset: ignored (not red) on a Mac where the netbird binary is not installed.
  - name: netbird
    installed_if: netbird
    process: { name: netbird }
    # On macOS the daemon can also be restarted through launchd:
    # restart: [sudo, launchctl, kickstart, -k, system/netbird]
    restart: [netbird, service, restart]
    recovery:
      wait: 60s
      max_per_hour: 4
    checks:
      - name: netbird-process
        type: process
        match: netbird
        interval: 30s
      - name: netbird-status
        type: netbird
        interval: 60s
        timeout: 10s
`;
