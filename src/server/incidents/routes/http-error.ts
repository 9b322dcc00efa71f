// A refusal a route decides itself (scope, visibility, actor), with the HTTP status to answer.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
