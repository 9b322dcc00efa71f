// A synchronous store's answer as a promise: a throw becomes a rejection, as it would be from
// the PostgreSQL implementation, so callers handle both backends' errors one way.
export function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error as Error);
  }
}
