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
import { CONSOLE_ROUTES, CONSOLE_SCHEMAS } from './api-docs';
import { registerBandwidthRoutes } from './bandwidth-routes';
import { createHostCheck } from './host-check';
import { registerJsonBodyParser } from './json-body';
import { registerLatencyRoutes } from './latency-routes';
import { adminGuard } from './admin-guard';
import { HttpError } from './incidents/routes/http-error';
import { registerOpsRoutes, type OpsDependencies } from './ops/plugin';
import { bearerMatches } from './incidents/alertmanager';
import type { Kaizen } from './incidents/kaizen';
import { registerKaizenRoutes } from './incidents/routes/plugin';
import { scopeFromAccess } from './incidents/routes/scope';
import type { ServerConfig } from './config';
import type { LogFn } from './logging/log-line';
import type { RcaService } from './rca/service';
import type { ServerMetrics } from './metrics';
import { createClientSession, sendBudgetBytes, type ClientSession } from './stream/client-session';
import { wallClockMs } from './stream/source';
import { authorizeTenant, refusalFor, resolveUpgradePrincipal } from './tenants/access';
import { bearerChallenge } from './tenants/challenge';
import { sendRefusal } from './tenants/reply';
import { registerTenantRoutes } from './tenants/routes';
import type { Tenancy } from './tenants/runtime';

export interface HttpAppOptions {
  config: ServerConfig;
  /** Tenants, tokens and their streams (tenants/runtime.ts). */
  tenancy: Pick<Tenancy, 'access' | 'directory' | 'registry' | 'defaultTenant'>;
  metrics: ServerMetrics;
  log: LogFn;
  /** Tickets, MTTR and the Alertmanager receiver under /api. */
  kaizen?: Kaizen;
  /** The tickets' RCAs under /api/tickets/ID/rca (with kaizen). */
  rca?: RcaService;
  /** The launch tooling under /api: observer mode, gates, baselines, browser reports. */
  ops?: OpsDependencies;
  /**
   * The /metrics scrape secret now (the data directory's file, reread when rotated); null serves
   * /metrics to anyone, which the server does only with its explicit --metrics-anonymous.
   */
  metricsSecret: (() => string) | null;
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
const CLOSE_FOR = {
  revoked: { code: CLOSE.unauthorized, reason: 'token revoked' },
  withdrawn: { code: CLOSE.forbidden, reason: 'access to the tenant withdrawn' },
  deleted: { code: CLOSE.unknownTenant, reason: 'tenant deleted' },
} as const;

/** A frame stream whose last frame is older than this is not healthy (the detector's stall). */
export const HEALTHY_FRAME_AGE_MS = 2000;

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
  if (embedOrigins.includes(origin.toLowerCase())) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // The app's own pages: served by this server over http, or over https behind a TLS proxy. Any
  // other scheme on the same host (an extension, a webview) must be listed in --embed-origins.
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === req.headers.host;
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
  // Before anything else reads a request: a Host this server does not answer for is a page on
  // another name that resolves here (DNS rebinding), refused with 421 Misdirected Request.
  const hostCheck = createHostCheck({ host: config.host, allowedHosts: config.allowedHosts });
  fastify.addHook('onRequest', async (request, reply) => {
    if (hostCheck.allows(request.headers.host)) return;
    return reply.code(421).send({
      error: 'misdirected_request',
      message: hostCheck.refusal(request.headers.host),
    } satisfies ErrorBody);
  });
  registerJsonBodyParser(fastify);
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
    421: 'misdirected_request',
    429: 'too_many_requests',
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
    const pinned = status.filter((s) => s.pinned);
    const started = pinned.every((s) => s.framesProduced > 0);
    // A stream whose frames stopped (every frame of its trace failing its CRC, a trace cut while
    // replayed) is unhealthy, not merely "started once".
    const nowMs = wallClockMs();
    const flowing = pinned.every(
      (s) => s.lastFrameAtMs !== null && nowMs - s.lastFrameAtMs <= HEALTHY_FRAME_AGE_MS,
    );
    const streaming = started && flowing;
    const isPublic = (id: string): boolean => directory.tenants.get(id)?.visibility === 'public';
    return reply.code(streaming ? 200 : 503).send({
      status: streaming ? 'ok' : started ? 'stalled' : 'starting',
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

  // Every tenant's series, private ones included: for the operators' Prometheus, which presents
  // the scrape secret (ops/prometheus/prometheus.yml). A tenant's own series are at
  // /api/tenants/ID/metrics for whoever may see the tenant.
  fastify.get('/metrics', async (request, reply) => {
    const secret = options.metricsSecret?.();
    if (secret !== undefined && !bearerMatches(request.headers.authorization, secret)) {
      const presented = (request.headers.authorization ?? '') !== '';
      return sendRefusal(reply, {
        status: 401,
        error: 'unauthorized',
        message:
          '/metrics needs "Authorization: Bearer SECRET" with the scrape secret ' +
          '(npm run admin -- secret show metrics)',
        challenge: presented
          ? bearerChallenge('invalid_token', 'not the scrape secret')
          : bearerChallenge(),
      });
    }
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });

  registerTenantRoutes(fastify, {
    access,
    directory,
    registry,
    metrics,
    gpuThreshold: config.gpuThreshold,
  });
  registerBandwidthRoutes(fastify, {
    metrics,
    hasTenant: (tenant) => access.hasTenant(tenant),
    authorize: (authorization, tenant) => authorizeTenant(access, authorization, tenant),
  });
  if (options.kaizen) {
    registerKaizenRoutes(fastify, {
      kaizen: options.kaizen,
      rca: options.rca,
      resolveScope: scopeFromAccess(access),
      documented: { routes: CONSOLE_ROUTES, schemas: CONSOLE_SCHEMAS },
    });
  }
  if (options.ops) {
    registerOpsRoutes(fastify, {
      ...options.ops,
      requireAdmin: adminGuard(access),
      visibleTenants: (request) => {
        const principal = access.resolvePrincipal(request.headers.authorization);
        if ('denied' in principal) throw new HttpError(401, principal.message);
        return principal.tenants;
      },
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
    fastify.register(fastifyStatic, {
      root: config.staticDir,
      prefix: '/',
      wildcard: true,
      // Source maps would hand anyone the app's whole source; a developer runs `npm run dev`.
      allowedPath: (pathName) => !pathName.endsWith('.map'),
    });
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
    if (!hostCheck.allows(req.headers.host)) {
      return rejectUpgrade(socket, 421, hostCheck.refusal(req.headers.host));
    }
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
    if (refusal || 'denied' in principal) {
      const { status, message } = refusal ?? { status: 401, message: 'bad credentials' };
      // Tagged with the tenant only when it exists: a made-up name gets no log ring.
      log(`[ws] refused ${status} for tenant ${JSON.stringify(tenant.slice(0, 64))}: ${message}`, {
        level: 'warn',
        ...(access.hasTenant(tenant) ? { tenant } : {}),
      });
      return rejectUpgrade(socket, status, message);
    }
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
          log(`[ws] closing client for a protocol error: ${reason}`, {
            tenant,
            level: 'warn',
          });
        },
        onFlood: (reason) => {
          metrics.protocolError('too_many_messages');
          log(`[ws] closing a ${tenant} client (${CLOSE.tooManyMessages}): ${reason}`, {
            tenant,
            level: 'warn',
          });
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
      ws.on('error', (error) =>
        log(`[ws] client error: ${error.message}`, { tenant, level: 'warn' }),
      );
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
      const { code, reason } =
        decision === 401
          ? CLOSE_FOR.revoked
          : access.hasTenant(connection.tenant)
            ? CLOSE_FOR.withdrawn
            : CLOSE_FOR.deleted;
      log(`[ws] closing a ${connection.tenant} client (${code}): ${reason}`, {
        tenant: connection.tenant,
      });
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
