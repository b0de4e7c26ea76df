/**
 * Service labels end up as an argument of launchctl/systemctl. Restricting them to the characters real labels
 * use ("io.netbird.client", "netbird.service", "getty@tty1") keeps a config value from becoming an option
 * ("--now") or something stranger.
 */
const LABEL = /^[A-Za-z0-9][A-Za-z0-9_.@:-]*$/;

export function checkServiceLabel(label: string): string {
  if (!LABEL.test(label)) {
    throw new Error(
      `service label "${label}" is invalid: expected letters, digits and . _ @ : - (not starting with a symbol)`,
    );
  }
  return label;
}
