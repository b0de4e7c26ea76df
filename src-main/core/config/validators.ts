/**
 * Checks for config values that a plain type check lets through but that would fail later — in the daemon log,
 * at the first schedule, or as a check that can never pass. Each returns an error message (what was expected and
 * what was there) or undefined; the schema attaches the message to the field's path, so `config validate`, load
 * and hot reload all refuse the value up front. Pure.
 */
import cron from 'node-cron';

/**
 * Names of processes, services, groups and checks: letters and digits of any script (Unicode), "_", "." and
 * "-", starting with a letter or digit, at most 64 characters. No spaces, slashes, quotes or control characters,
 * so a name is safe as a CLI argument, a URL segment (encoded), a Prometheus label value and part of a file name.
 */
export const NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}_.-]*$/u;
export const NAME_MAX = 64;

export function nameError(name: string): string | undefined {
  if (name.normalize('NFC') !== name)
    return `expected a name in Unicode NFC form (composed characters), got ${JSON.stringify(name)}`;
  if (!NAME_PATTERN.test(name))
    return `expected a name of letters and digits (any script), "_", "." or "-", starting with a letter or digit, got ${JSON.stringify(name)}`;
  // UTF-16 length, as the API contract counts it.
  if (name.length > NAME_MAX) return `expected a name of at most ${NAME_MAX} characters, got ${name.length}`;
  return undefined;
}

/** node-cron 4 syntax: 5 fields, or 6 with seconds first; ranges checked per field (`99 * * * *` is refused). */
export function cronError(expression: string): string | undefined {
  const v = cron.validateDetailed(expression.trim());
  if (v.valid) return undefined;
  const why = v.errors.map((e) => e.message).join('; ');
  return `expected a cron expression of 5 fields (or 6 with seconds first), like "0 3 * * *", got ${JSON.stringify(expression)}${why ? ` (${why})` : ''}`;
}

/** An IANA time zone as the runtime's Intl knows it ("Europe/Berlin", "UTC"). */
export function timeZoneError(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    return `expected an IANA time zone like "Europe/Berlin" or "UTC", got ${JSON.stringify(zone)}`;
  }
}

/** An http check's URL: absolute, http or https, with a host. */
export function httpUrlError(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `expected an absolute http(s) URL like "http://127.0.0.1:8080/health", got ${JSON.stringify(url)}`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return `expected an http:// or https:// URL, got ${JSON.stringify(url)} (scheme ${u.protocol.replace(/:$/, '')})`;
  if (!u.hostname) return `expected a URL with a host, got ${JSON.stringify(url)}`;
  return undefined;
}

/** A JavaScript regular expression (as used for `match`). */
export function regexError(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (err) {
    return `expected a regular expression, got ${JSON.stringify(source)} (${(err as Error).message.replace(/^Invalid regular expression: /, '')})`;
  }
}

/** A host for tcp/internet targets: a name or an IP literal, nothing with a scheme, path or spaces. */
export function hostError(host: string): string | undefined {
  if (
    /^\[?[0-9a-f:.]+\]?$/i.test(host) ||
    /^[\p{L}\p{N}]([\p{L}\p{N}_-]*[\p{L}\p{N}])?(\.[\p{L}\p{N}_-]+)*\.?$/u.test(host)
  )
    return undefined;
  return `expected a host name or IP address, got ${JSON.stringify(host)}`;
}

/** "host" or "host:port" (IPv6 in brackets), for internet targets. */
export function targetError(target: string): string | undefined {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(target);
  const host = m?.[1]?.replace(/^\[|\]$/g, '');
  if (!m || host === undefined || hostError(host) !== undefined)
    return `expected "host" or "host:port", got ${JSON.stringify(target)}`;
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535))
    return `expected a port between 1 and 65535, got ${m[2]} in ${JSON.stringify(target)}`;
  return undefined;
}
