// The REST client the panels use: adds the operator's token (held in memory only: never in the
// URL, never in localStorage) as a Bearer header, and turns error bodies into readable messages.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function fetchJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { message?: string };
      if (body.message) message = `${message}: ${body.message}`;
    } catch {
      // The body was not JSON: the status line says enough.
    }
    throw new ApiError(response.status, message);
  }
  return (await response.json()) as T;
}

/** Requests to the console's REST API, as the operator holding the current token. */
export interface ApiRequests {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/** The requests, and which token they carry: what query definitions take. */
export interface ApiClient extends ApiRequests {
  /** Changes whenever the token does: part of every query key, so data is refetched with it. */
  readonly tokenKey: number;
}

export function createApiRequests(token: () => string | null): ApiRequests {
  const headers = (): Record<string, string> => {
    const current = token();
    return current ? { authorization: `Bearer ${current}` } : {};
  };
  return {
    get: <T>(path: string) => fetchJson<T>(path, { headers: headers() }),
    send: <T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
      fetchJson<T>(path, {
        method,
        headers: {
          ...headers(),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}
