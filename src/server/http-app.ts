// One process, one port: the built app, /healthz, /metrics, /api and the frame WebSocket (/ws).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  CLOSE,
  MAX_CLIENT_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
  encodeMessage,
} from '../core/wire/envelope';
import { registerBandwidthRoutes } from './bandwidth-routes';
import type { ServerConfig } from './config';
import type { ServerMetrics } from './metrics';
import type { StreamBus } from './stream/bus';
import { createClientSession } from './stream/client-session';
import { wallClockMs } from './stream/source';

export interface HttpAppOptions {
  config: ServerConfig;
  streams: ReadonlyMap<string, StreamBus>;
  defaultTenant: string;
  metrics: ServerMetrics;
  log: (line: string) => void;
}

export interface HttpApp {
  fastify: FastifyInstance;
  listen(): Promise<string>;
  close(): Promise<void>;
  /** Bytes queued in each client socket now (what back-off bounds), for diagnostics and tests. */
  clientBufferedBytes(): number[];
}

function originAllowed(req: IncomingMessage, embedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  // Non-browser clients (benchmarks, CLI tools) send no Origin; browsers always do.
  if (origin === undefined) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  return originHost === req.headers.host || embedOrigins.includes(origin);
}

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
  );
}

export function createHttpApp(options: HttpAppOptions): HttpApp {
  const { config, streams, metrics, log } = options;
  const fastify = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  const sockets = new Set<WebSocket>();

  fastify.get('/healthz', async (_req, reply) => {
    const status = [...streams.values()].map((bus) => ({
      tenant: bus.info.tenant,
      framesProduced: bus.framesProduced,
      clients: bus.subscriberCount,
    }));
    const streaming = status.length > 0 && status.every((s) => s.framesProduced > 0);
    return reply
      .code(streaming ? 200 : 503)
      .send({ status: streaming ? 'ok' : 'starting', streams: status });
  });

  fastify.get('/metrics', async (_req, reply) => {
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });

  fastify.get('/api/streams', async () => [...streams.values()].map((bus) => bus.info));
  registerBandwidthRoutes(fastify, { metrics, hasTenant: (tenant) => streams.has(tenant) });
  const sampler = setInterval(() => metrics.sampleBandwidth(Date.now()), 1000);
  fastify.addHook('onClose', async () => clearInterval(sampler));

  const indexHtml = path.join(config.staticDir, 'index.html');
  if (existsSync(indexHtml)) {
    // wildcard: files are looked up on disk per request, so a rebuild needs no restart.
    fastify.register(fastifyStatic, { root: config.staticDir, prefix: '/', wildcard: true });
    fastify.setNotFoundHandler((req, reply) => {
      // Only page routes fall back to the app; a missing asset or API path is a real 404.
      const pathname = req.url.split('?')[0] ?? '';
      const isPageRoute =
        req.method === 'GET' &&
        !pathname.startsWith('/api/') &&
        !/\.[a-z0-9]+$/i.test(pathname) &&
        (req.headers.accept ?? '').includes('text/html');
      if (isPageRoute) return reply.sendFile('index.html');
      return reply
        .code(404)
        .send({ error: 'not_found', message: `no route ${req.method} ${pathname}` });
    });
  } else {
    fastify.get('/', async (_req, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send(`The app is not built: run "npm run build" (looked for ${indexHtml}).\n`),
    );
  }

  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_CLIENT_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });

  fastify.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws') return rejectUpgrade(socket, 404, 'no WebSocket at this path');
    if (!originAllowed(req, config.embedOrigins)) {
      log(`[ws] refused upgrade from origin ${req.headers.origin ?? '(none)'}`);
      return rejectUpgrade(socket, 403, 'origin not allowed');
    }
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((s) => s.trim());
    if (!offered.includes(SUBPROTOCOL)) {
      return rejectUpgrade(
        socket,
        426,
        `unsupported protocol version: offer subprotocol ${SUBPROTOCOL} (server speaks v${PROTOCOL_VERSION})`,
      );
    }
    const tenant = url.searchParams.get('tenant') ?? options.defaultTenant;
    const bus = streams.get(tenant);
    if (!bus) return rejectUpgrade(socket, 404, `unknown tenant "${tenant.slice(0, 64)}"`);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.binaryType = 'nodebuffer';
      ws.send(
        encodeMessage({
          t: 'hello',
          v: PROTOCOL_VERSION,
          stream: bus.info,
          serverTimeMs: wallClockMs(),
        }),
      );
      const session = createClientSession({
        socket: ws,
        bus,
        budgetBytes: config.clientBufferBudgetBytes,
        metrics: metrics.forTenant(bus.info.tenant),
        onProtocolError: (reason) => {
          metrics.protocolError('bad_message');
          log(`[ws] closing client for a protocol error: ${reason}`);
        },
      });
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) {
          metrics.protocolError('text_frame');
          ws.close(CLOSE.badMessage, 'text frames are not part of the protocol');
          return;
        }
        session.handleMessage(data);
      });
      ws.on('error', (error) => log(`[ws] client error: ${error.message}`));
      ws.on('close', () => {
        sockets.delete(ws);
        session.close();
      });
    });
  });

  return {
    fastify,
    async listen() {
      return fastify.listen({ port: config.port, host: config.host });
    },
    clientBufferedBytes() {
      return [...sockets].map((ws) => ws.bufferedAmount);
    },
    async close() {
      for (const ws of sockets) ws.close(CLOSE.goingAway, 'server shutting down');
      wss.close();
      await fastify.close();
    },
  };
}
