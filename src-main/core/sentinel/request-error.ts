/**
 * A refusal a handler means to send back as such (unknown name, bad YAML), as opposed to a bug. Core cannot import
 * the API's ApiFailure, so it throws this; api/handlers.ts translates it at the border.
 */
export type RequestErrorCode = 'bad_request' | 'not_found' | 'conflict';

export class RequestError extends Error {
  constructor(
    readonly code: RequestErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}
