// One process, one port: the built app, /healthz, /metrics, /api and the frame WebSocket (/ws).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ErrorBody } from '../core/api/errors';
import {
  CLOSE,
  MAX_CLIENT_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
  encodeMessage,
} from '../core/wire/envelope';
import { registerBandwidthRoutes } from './bandwidth-routes';
import { registerLatencyRoutes } from './latency-routes';
import type { Kaizen } from './incidents/kaizen';
import { registerKaizenRoutes } from './incidents/routes/plugin';
import { scopeFromAccess } from './incidents/routes/scope';
import type { ServerConfig } from './config';
import type { ServerMetrics } from './metrics';
import { createClientSession, sendBudgetBytes, type ClientSession } from './stream/client-session';
import { wallClockMs } from './stream/source';
import {
  authorizeTenant,
  refusalFor,
  resolveUpgradePrincipal,
  type TenantDecision,
} from './tenants/access';
import { registerTenantRoutes } from './tenants/routes';
import type { Tenancy } from './tenants/runtime';

export interface HttpAppOptions {
  config: ServerConfig;
  /** Tenants, tokens and their streams (tenants/runtime.ts). */
  tenancy: Pick<Tenancy, 'access' | 'directory' | 'registry' | 'defaultTenant'>;
  metrics: ServerMetrics;
  log: (line: string) => void;
  /** Tickets, MTTR and the Alertmanager receiver under /api. */
  kaizen?: Kaizen;
}

/** A live stream connection: its tenant comes from the URL, its token from the upgrade. */
interface Connection {
  ws: WebSocket;
  tenant: string;
  tokenId: string | null;
  session: ClientSession | undefined;
  release: () => void;
}

/** Close codes for access that ended while connected (docs/PROTOCOL.md section 6). */
const CLOSE_FOR_DECISION: Record<
  Exclude<TenantDecision, 'ok'>,
  { code: number; reason: string }
> = {
  401: { code: CLOSE.unauthorized, reason: 'token revoked' },
  403: { code: CLOSE.forbidden, reason: 'access to the tenant withdrawn' },
  404: { code: CLOSE.unknownTenant, reason: 'tenant deleted' },
};

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
  const phrase = STATUS_CODES[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${phrase}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
  );
}

/** Most of a too-large body read and discarded so that its sender sees the 413. */
const MAX_DISCARD_BYTES = 16 * 1024 * 1024;

function discardBody(request: IncomingMessage): void {
  let discardedBytes = 0;
  request.on('data', (chunk: Buffer) => {
    discardedBytes += chunk.length;
    if (discardedBytes > MAX_DISCARD_BYTES) request.socket.destroy();
  });
  request.resume();
}

export function createHttpApp(options: HttpAppOptions): HttpApp {
  const { config, metrics, log } = options;
  const { access, directory, registry } = options.tenancy;
  const fastify = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  // A body over a route's limit: Fastify answers 413 with `connection: close`, and hanging up on a
  // client that is still uploading can reset the connection before it reads the answer. So the
  // rest of the body is read and thrown away on a connection kept open, up to a bound.
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode === 413 && !request.raw.complete) {
      const announced = Number(request.headers['content-length']);
      if (!(announced > MAX_DISCARD_BYTES)) {
        reply.removeHeader('connection');
        discardBody(request.raw);
      }
    }
    return payload;
  });
  const sockets = new Set<WebSocket>();
  const connections = new Set<Connection>();

  // Ready once every always-on stream (the default replay tenant) produces frames; streams of
  // other tenants start with their first subscriber. Private tenants are counted, not named.
  // One error shape for every route outside plugins that have their own: {error, message}, with the
  // same codes as docs/API.md. Plugins (Kaizen) keep their handlers in their own scope.
  const codes: Record<number, string> = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
  };
  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const where = error.validationContext ?? 'request';
      return reply
        .code(400)
        .send({ error: 'bad_request', message: `${where} ${error.message}` } satisfies ErrorBody);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({
        error: codes[status] ?? 'bad_request',
        message: error.message,
      } satisfies ErrorBody);
    }
    log(
      `[http] ${request.method} ${request.url.slice(0, 200)} failed: ${error.stack ?? error.message}`,
    );
    return reply.code(500).send({
      error: 'internal',
      message: 'internal error; the server log has the details',
    } satisfies ErrorBody);
  });

  fastify.get('/healthz', async (_req, reply) => {
    const status = registry.status();
    const streaming = status.filter((s) => s.pinned).every((s) => s.framesProduced > 0);
    const isPublic = (id: string): boolean => directory.tenants.get(id)?.visibility === 'public';
    return reply.code(streaming ? 200 : 503).send({
      status: streaming ? 'ok' : 'starting',
      streams: status
        .filter((s) => isPublic(s.tenant))
        .map((s) => ({
          tenant: s.tenant,
          running: s.running,
          framesProduced: s.framesProduced,
          clients: s.subscribers,
        })),
      privateStreamsRunning: status.filter((s) => s.running && !isPublic(s.tenant)).length,
    });
  });

  fastify.get('/metrics', async (_req, reply) => {
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });

  registerTenantRoutes(fastify, { access, directory, registry, metrics });
  registerBandwidthRoutes(fastify, {
    metrics,
    hasTenant: (tenant) => access.hasTenant(tenant),
    authorize: (authorization, tenant) => authorizeTenant(access, authorization, tenant),
  });
  if (options.kaizen) {
    registerKaizenRoutes(fastify, {
      kaizen: options.kaizen,
      resolveScope: scopeFromAccess(access),
    });
  }
  registerLatencyRoutes(fastify, {
    metrics,
    sloMs: (tenant) => directory.tenants.get(tenant)?.sloMs,
    authorize: (authorization, tenant) => authorizeTenant(access, authorization, tenant),
  });
  const sampler = setInterval(() => metrics.sampleBandwidth(Date.now()), 1000);
  fastify.addHook('onClose', async () => clearInterval(sampler));

  // Embedding: only this origin and --embed-origins may frame the app, and the app learns from
  // here whose postMessages to trust.
  const frameAncestors = ["'self'", ...config.embedOrigins].join(' ');
  fastify.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) {
      reply.header('content-security-policy', `frame-ancestors ${frameAncestors}`);
    }
    return payload;
  });
  fastify.get('/api/embed', async () => ({ origins: config.embedOrigins }));

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
      return reply.code(404).send({
        error: 'not_found',
        message: `no route ${req.method} ${pathname}`,
      } satisfies ErrorBody);
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
    const tenant = url.searchParams.get('tenant') ?? options.tenancy.defaultTenant;
    // The tenant comes from the URL and the principal from the credentials of the upgrade; no
    // message a client sends later can change either.
    const principal = resolveUpgradePrincipal(access, offered, req.headers.authorization);
    const refusal = refusalFor(access.requireTenant(principal, tenant), principal, tenant);
    if (refusal) {
      log(
        `[ws] refused ${refusal.status} for tenant ${JSON.stringify(tenant.slice(0, 64))}: ${refusal.message}`,
      );
      return rejectUpgrade(socket, refusal.status, refusal.message);
    }
    if ('denied' in principal) return rejectUpgrade(socket, 401, principal.message);
    if (!registry.has(tenant)) {
      return rejectUpgrade(socket, 503, `the stream of tenant "${tenant}" is not available`);
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.binaryType = 'nodebuffer';
      const connection: Connection = {
        ws,
        tenant,
        tokenId: principal.tokenId,
        session: undefined,
        release: () => {},
      };
      const lease = registry.acquire(tenant, (reason) =>
        endConnection(
          connection,
          reason === 'removed' ? CLOSE.unknownTenant : CLOSE.goingAway,
          reason === 'removed' ? 'tenant deleted' : 'tenant stream replaced',
        ),
      );
      if (!lease) {
        ws.close(CLOSE.unknownTenant, 'tenant deleted');
        sockets.delete(ws);
        return;
      }
      connection.release = () => lease.release();
      connections.add(connection);
      const bus = lease.bus;
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
        budgetBytes: sendBudgetBytes(
          config.clientBufferBudgetBytes,
          bus.info.width,
          bus.info.height,
        ),
        metrics: metrics.forTenant(bus.info.tenant),
        onProtocolError: (reason) => {
          metrics.protocolError('bad_message');
          log(`[ws] closing client for a protocol error: ${reason}`);
        },
      });
      connection.session = session;
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) {
          metrics.protocolError('text_frame');
          const reason = 'text frames are not part of the protocol';
          ws.send(encodeMessage({ t: 'error', code: 'bad_message', message: reason }));
          ws.close(CLOSE.badMessage, reason);
          return;
        }
        session.handleMessage(data);
      });
      ws.on('error', (error) => log(`[ws] client error: ${error.message}`));
      ws.on('close', () => {
        sockets.delete(ws);
        session.close();
        connections.delete(connection);
        connection.release();
      });
    });
  });

  /** Stops the frames at once, then closes; the socket's close event does the rest. */
  function endConnection(connection: Connection, code: number, reason: string): void {
    if (!connections.delete(connection)) return;
    connection.session?.close();
    connection.release();
    connection.ws.close(code, reason);
  }

  // Tokens revoked, grants changed or tenants deleted by the admin CLI: every live connection is
  // checked again, and those that would now be refused are closed with the matching code.
  const stopWatching = directory.onChange(() => {
    for (const connection of [...connections]) {
      const decision = access.requireTenant(
        access.principalOf(connection.tokenId),
        connection.tenant,
      );
      if (decision === 'ok') continue;
      const { code, reason } = CLOSE_FOR_DECISION[decision];
      log(`[ws] closing a ${connection.tenant} client (${code}): ${reason}`);
      endConnection(connection, code, reason);
    }
  });
  fastify.addHook('onClose', async () => stopWatching());

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
      // Clients that do not answer the close frame would hold shutdown for ws's 30 s close timeout.
      const stragglers = setTimeout(() => {
        for (const ws of sockets) ws.terminate();
      }, 2000);
      wss.close();
      await fastify.close();
      clearTimeout(stragglers);
    },
  };
}
