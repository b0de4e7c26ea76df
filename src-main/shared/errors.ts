/**
 * The one error type of Sentinel's API. Core throws `SentinelError` to refuse a request (unknown name, bad YAML);
 * the dispatcher turns it into the wire shape `ApiError`; every client (the windows over IPC or WebSocket, the CLI
 * over the socket) turns a refused reply back into a `SentinelError` with `outcomeResult`, so a caller reads
 * `err.code` and `err.field` the same way whichever transport carried the request.
 *
 * No zod here: the windows import this file, and the popover's bundle should not carry the validation library for
 * an error class. The wire schema of `ApiError` lives in contract.ts.
 */

/** The closed set of refusal codes. */
export const ERROR_CODES = ['bad_request', 'not_found', 'unauthorized', 'conflict', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The error every transport returns for a refused request. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  /** The path of the (first) field at fault, e.g. "limit" or "name". */
  field?: string;
}

export class SentinelError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'SentinelError';
  }

  /** The wire shape (what a transport sends). */
  toApiError(): ApiError {
    return { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) };
  }

  /** Rebuilds the error a transport carried. */
  static fromApiError(error: ApiError): SentinelError {
    return new SentinelError(error.code, error.message, error.field);
  }
}

/** What a request comes back as on every transport: a result, or a refusal. */
export type Outcome<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiError };

/** The result of an outcome, or the refusal thrown as a SentinelError. Every client reads replies with this. */
export function outcomeResult<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.result;
  throw SentinelError.fromApiError(outcome.error);
}

/** What a client says when the other end of the wire breaks the protocol (the same words from every client). */
export const WIRE_ERROR = {
  notJson: 'the daemon sent a line that is not JSON',
  malformed: 'the daemon sent a malformed reply',
} as const;
