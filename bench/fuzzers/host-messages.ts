// Fuzz target `postmessage`: random and mutated host messages through parseHostMessage, which
// must answer with a message that validates again on its own, or {refused}, never an exception.
import { parseHostMessage } from '../../src/app/embed/messages';
import { isTenantId } from '../../src/core/tenant-id';
import type { Rng } from '../../src/sim/rng';
import { round } from '../support/round';
import { caseRng, count, indices, newReport, type FuzzOptions, type FuzzReport } from './harness';
import {
  EDGE_NUMBERS,
  chance,
  describeValue,
  int,
  pick,
  randomBytes,
  randomString,
  randomValue,
} from './input-kit';

const HOST_TYPES = ['setTenant', 'setToken', 'seek', 'play', 'pause', 'setTheme'] as const;
const HOST_FIELDS: Record<string, string[]> = {
  setTenant: ['type', 'tenant'],
  setToken: ['type', 'token'],
  seek: ['type', 'frame'],
  play: ['type'],
  pause: ['type'],
  setTheme: ['type', 'theme'],
};

function randomHostPayload(rng: Rng): unknown {
  const r = rng.nextFloat();
  if (r < 0.15) return randomValue(rng);
  if (r < 0.22) {
    // What structured clone can carry besides JSON.
    return pick(rng, [
      new Date(int(rng, 0, 2 ** 40)),
      new Map([['type', 'play']]),
      new Set(['play']),
      new Uint8Array(randomBytes(rng, 8)),
      BigInt(rng.nextU32()),
      [{ type: 'play' }],
      undefined,
    ]);
  }
  const type = chance(rng, 0.85) ? pick(rng, HOST_TYPES) : randomValue(rng);
  const base: Record<string, unknown> = { type };
  const value = (): unknown => {
    const v = rng.nextFloat();
    if (v < 0.35) return randomValue(rng);
    if (v < 0.5)
      return pick(rng, [
        'demo',
        'light',
        'dark',
        null,
        0,
        42,
        'A'.repeat(16),
        'tok-en_' + 'x'.repeat(20),
      ]);
    return randomString(rng, 300);
  };
  base.tenant = value();
  base.token = value();
  base.frame = chance(rng, 0.5) ? pick(rng, EDGE_NUMBERS) : value();
  base.theme = value();
  const kept: Record<string, unknown> = Object.fromEntries(
    Object.entries(base).filter(([key]) => key === 'type' || !chance(rng, 0.4)),
  );
  if (chance(rng, 0.3)) kept.version = pick(rng, [1, 2, 0, '1', null, undefined, Number.NaN]);
  if (chance(rng, 0.2)) kept[randomString(rng, 10)] = randomValue(rng);
  // JSON.parse makes "__proto__" an own key, as a structured clone of such an object would.
  if (chance(rng, 0.1))
    return JSON.parse(
      `{"__proto__": {"type": "play"}, "type": ${JSON.stringify(typeof type === 'string' ? type : 'play')}}`,
    );
  return kept;
}

/** The message must validate again without parseHostMessage: type, field types, no extra keys. */
function hostMessageFault(message: Record<string, unknown>): string | null {
  const fields = HOST_FIELDS[String(message.type)];
  if (!fields) return `unknown type ${String(message.type)}`;
  const keys = Object.keys(message).sort();
  if (keys.join() !== [...fields].sort().join())
    return `keys ${keys.join()} (expected ${fields.join()})`;
  switch (message.type) {
    case 'setTenant':
      return typeof message.tenant === 'string' && isTenantId(message.tenant) ? null : 'bad tenant';
    case 'setToken':
      return message.token === null ||
        (typeof message.token === 'string' && /^[A-Za-z0-9_-]{16,256}$/.test(message.token))
        ? null
        : 'bad token';
    case 'seek':
      return Number.isInteger(message.frame) &&
        (message.frame as number) >= 0 &&
        (message.frame as number) <= 0xffffffff
        ? null
        : 'bad frame';
    case 'setTheme':
      return message.theme === 'light' || message.theme === 'dark' ? null : 'bad theme';
    default:
      return null;
  }
}

export async function fuzzHostMessages(options: FuzzOptions): Promise<FuzzReport> {
  const report = newReport('postmessage', options);
  const started = performance.now();
  for (const index of indices(options)) {
    const rng = caseRng(options.seed, 'postmessage', index);
    const payload = randomHostPayload(rng);
    const fail = (problem: string): void => {
      report.failures.push({
        target: 'postmessage',
        seed: report.seed,
        index,
        input: describeValue(payload),
        problem,
      });
    };
    try {
      const result = parseHostMessage(payload) as Record<string, unknown>;
      if ('refused' in result) {
        if (typeof result.refused !== 'string' || result.refused.length === 0) {
          fail('refused without a reason');
        } else if (Object.keys(result).length !== 1) fail('a refusal with other fields');
        count(report, 'refused');
      } else {
        const fault = hostMessageFault(result);
        if (fault) fail(`accepted an invalid message: ${fault}`);
        count(report, `accepted ${String(result.type)}`);
      }
    } catch (error) {
      fail(`threw ${(error as Error).name}: ${(error as Error).message}`);
    }
    report.cases += 1;
  }
  report.seconds = round((performance.now() - started) / 1000, 2);
  return report;
}
