// The whole loop in real time: a stream stalls, the detector's timer opens a ticket, the stream
// resumes, the ticket resolves itself, and the MTTR the panel reads counts it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import type { MttrReport, TicketDetail, TicketPage } from '../../core/api/tickets';
import { openDatabase } from '../storage/database';
import { createSourceEncoder } from '../stream/source-encoder';
import type { FrameSource, SourceFrame } from '../stream/source';
import { tapFramesForDetector } from './frame-tap';
import { createKaizen, type Kaizen } from './kaizen';
import { registerKaizenRoutes } from './routes/plugin';
import { allTenantsScope } from './routes/scope';
import { DEFAULT_RULES } from './detector-rules';

/** 60 frames per second until paused. */
function pausableSource(): FrameSource & { paused: boolean } {
  let timer: NodeJS.Timeout | undefined;
  let frameIndex = 0;
  const encoder = createSourceEncoder(8, 8);
  const source = {
    paused: false,
    info: { width: 8, height: 8, frameCount: 1, intervalUs: 16_667, source: 'replay' as const },
    start(onFrame: (frame: SourceFrame) => void) {
      timer = setInterval(() => {
        if (source.paused) return;
        const phases = new Uint16Array(64);
        const index = frameIndex++;
        onFrame({
          frameIndex: index,
          phases,
          producedAtMs: Date.now(),
          ...encoder.encode(index, phases),
        });
      }, 1000 / 60);
    },
    stop() {
      clearInterval(timer);
    },
  };
  return source;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the Kaizen loop in real time', () => {
  let kaizen: Kaizen;
  let fastify: FastifyInstance;
  let base: string;
  const source = pausableSource();
  let tapped: FrameSource;

  beforeAll(async () => {
    kaizen = createKaizen({ db: openDatabase(':memory:') });
    fastify = Fastify();
    registerKaizenRoutes(fastify, { kaizen, resolveScope: allTenantsScope(['demo']) });
    base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    tapped = tapFramesForDetector(source, kaizen.detector, {
      tenantId: 'demo',
      visibility: 'public',
    });
    tapped.start(() => {});
    kaizen.start();
  });

  afterAll(async () => {
    kaizen.stop();
    tapped.stop();
    await fastify.close();
  });

  const get = async <T>(url: string): Promise<T> =>
    (await (await fetch(`${base}${url}`)).json()) as T;

  it('opens a ticket within the stall duration plus 1 s, resolves it on resume, and MTTR counts it', async () => {
    await new Promise((r) => setTimeout(r, 300));
    const before = await get<MttrReport>('/api/mttr?tenant=demo&window=1h');
    expect(before.severities.find((s) => s.severity === 'critical')!.all.count).toBe(0);

    source.paused = true;
    const stalledAt = Date.now();
    const opened = await until(
      'a stall ticket',
      async () => {
        const page = await get<TicketPage>(
          '/api/tickets?tenant=demo&status=open&severity=critical',
        );
        return page.tickets[0];
      },
      DEFAULT_RULES.streamStalled.afterMs + 1000,
    );
    expect(Date.now() - stalledAt).toBeGreaterThanOrEqual(DEFAULT_RULES.streamStalled.afterMs - 50);

    source.paused = false;
    const resolved = await until(
      'the ticket to resolve',
      async () => {
        const detail = await get<TicketDetail>(`/api/tickets/${opened.id}`);
        return detail.ticket.status === 'resolved' ? detail.ticket : undefined;
      },
      1000,
    );
    expect(resolved.resolvedBy).toBe('auto');

    const after = await get<MttrReport>('/api/mttr?tenant=demo&window=1h');
    const critical = after.severities.find((s) => s.severity === 'critical')!;
    expect(critical.all.count).toBe(1);
    expect(critical.auto.count).toBe(1);
  });
});
