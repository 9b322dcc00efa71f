// HTTP receivers on 127.0.0.1 that play Slack and PagerDuty in tests: each answers from a script
// of responses (the last one repeats), optionally late, and records what it was sent. The
// PagerDuty one also keeps incidents by dedup_key the way PagerDuty does, so a test can tell
// deliveries (at least once) from effects (once per key).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedResponse {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Answer this late. */
  delayMs?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: unknown;
  atMs: number;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Most requests it held unanswered at one time. */
  maxInFlight(): number;
  /** Resolves once `count` requests have arrived (answered or not). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const SLACK_OK: ScriptedResponse = { status: 200, body: 'ok' };
export const PAGERDUTY_ACCEPTED: ScriptedResponse = {
  status: 202,
  body: '{"status":"success","message":"Event processed"}',
  headers: { 'content-type': 'application/json' },
};

export async function startReceiver(
  script: readonly ScriptedResponse[] = [SLACK_OK],
  path = '/hook',
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let served = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        text,
        json,
        atMs: Date.now(),
      });
      for (const w of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const reply = script[Math.min(served, script.length - 1)]!;
      served += 1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const answer = () => {
        inFlight -= 1;
        if (res.destroyed) return;
        res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
        res.end(reply.body ?? '');
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    maxInFlight: () => maxInFlight,
    waitFor(count, timeoutMs = 20_000) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`receiver: ${requests.length} of ${count} requests arrived`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The PagerDuty view of what a receiver got: open/resolved incidents by dedup_key. */
export function pagerDutyIncidents(requests: readonly ReceivedRequest[]): {
  triggers: number;
  resolves: number;
  incidents: Map<string, 'triggered' | 'resolved'>;
} {
  const incidents = new Map<string, 'triggered' | 'resolved'>();
  let triggers = 0;
  let resolves = 0;
  for (const r of requests) {
    const event = r.json as { event_action?: string; dedup_key?: string } | undefined;
    if (!event?.dedup_key) continue;
    if (event.event_action === 'trigger') {
      triggers += 1;
      incidents.set(event.dedup_key, 'triggered');
    } else if (event.event_action === 'resolve') {
      resolves += 1;
      if (incidents.has(event.dedup_key)) incidents.set(event.dedup_key, 'resolved');
    }
  }
  return { triggers, resolves, incidents };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}
