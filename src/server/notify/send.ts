// One delivery attempt: POST the JSON body and sort the answer into sent, worth retrying (429,
// 5xx, no answer) or refused (any other status: the request itself is wrong, and sending it again
// would not change that).
import { parseRetryAfterMs } from './retry';

export type AttemptResult =
  | { kind: 'sent'; httpStatus: number }
  | { kind: 'retry'; httpStatus: number | null; error: string; retryAfterMs: number | null }
  | { kind: 'refused'; httpStatus: number; error: string };

export type FetchLike = typeof fetch;

const MAX_BODY_CHARS = 300;

function describeBody(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length === 0) return '(empty body)';
  return flat.length <= MAX_BODY_CHARS ? flat : `${flat.slice(0, MAX_BODY_CHARS)}…`;
}

/** The useful part of fetch's "fetch failed": the cause's code and message. */
function describeFailure(error: unknown, timeoutMs: number): string {
  const e = error as Error & { cause?: Error & { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = e.cause;
  if (cause?.message) return cause.message;
  return e.message || String(error);
}

export async function postJson(
  url: string,
  body: unknown,
  options: { timeoutMs: number; nowMs: () => number; fetch?: FetchLike },
): Promise<AttemptResult> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'phase-console' },
      body: JSON.stringify(body),
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    return {
      kind: 'retry',
      httpStatus: null,
      error: describeFailure(error, options.timeoutMs),
      retryAfterMs: null,
    };
  }
  const status = response.status;
  // The status decides; a body cut short only costs the error message its detail.
  const text = await response.text().catch(() => '');
  if (status >= 200 && status < 300) return { kind: 'sent', httpStatus: status };
  const error = `HTTP ${status}: ${describeBody(text)}`;
  if (status === 429 || status >= 500) {
    return {
      kind: 'retry',
      httpStatus: status,
      error,
      retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after'), options.nowMs()),
    };
  }
  return { kind: 'refused', httpStatus: status, error };
}
