/**
 * The logger every core module takes. `core/logging.ts` provides the real one (electron-log/node: console +
 * rotating file, warnings and errors also into meta_logs); tests and pure modules can use `silentLogger`.
 */
export interface Logger {
  error(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  debug(message: string, data?: Record<string, unknown>): void;
  /** A logger whose lines carry a scope ("supervisor", "health:netbird"). */
  child(scope: string): Logger;
}

export const silentLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return silentLogger;
  },
};
