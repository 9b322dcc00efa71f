// A refusal a route decides itself (credentials, scope, visibility, actor, burst cap), with the
// HTTP status to answer and, for 401 and 403, the RFC 6750 challenge; for 429, when to try again.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}
