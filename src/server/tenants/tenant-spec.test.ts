import { describe, expect, it } from 'vitest';
import { TenantSpecError, parseTenantSpec, sourceKey } from './tenant-spec';

const REPLAY = { kind: 'replay', trace: 'traces/x.bin' };
const LIVE = { kind: 'live', width: 256, height: 256, seed: 1 };

describe('parseTenantSpec', () => {
  it('fills in the defaults: name from the id, private, a 7 ms SLO', () => {
    expect(parseTenantSpec({ id: 'a', source: REPLAY }, 'f')).toEqual({
      id: 'a',
      name: 'a',
      visibility: 'private',
      source: REPLAY,
      sloMs: 7,
    });
  });

  it('keeps live parameters', () => {
    const spec = parseTenantSpec(
      { id: 'l', source: { ...LIVE, params: { couplingK: 10, alphaRad: 0.3 } } },
      'f',
    );
    expect(spec.source).toEqual({ ...LIVE, params: { couplingK: 10, alphaRad: 0.3 } });
  });

  const BAD: { name: string; value: unknown; error: string }[] = [
    { name: 'not an object', value: 'demo', error: 'f must be an object' },
    { name: 'an upper-case id', value: { id: 'Demo', source: REPLAY }, error: 'f.id must be 1-63' },
    { name: 'a 64-character id', value: { id: 'a'.repeat(64), source: REPLAY }, error: 'f.id' },
    {
      name: 'an SQL-ish id',
      value: { id: "x'; DROP TABLE tenants;--", source: REPLAY },
      error: 'f.id',
    },
    { name: 'an id starting with -', value: { id: '-a', source: REPLAY }, error: 'f.id' },
    {
      name: 'an oversized name',
      value: { id: 'a', name: 'n'.repeat(101), source: REPLAY },
      error: 'f.name must be at most 100 characters',
    },
    {
      name: 'a name with a control character',
      value: { id: 'a', name: 'a\u0000b', source: REPLAY },
      error: 'f.name must not contain control characters',
    },
    {
      name: 'an unknown visibility',
      value: { id: 'a', visibility: 'secret', source: REPLAY },
      error: 'f.visibility must be "public" or "private"',
    },
    { name: 'no source', value: { id: 'a' }, error: 'f.source must be an object' },
    {
      name: 'an unknown source kind',
      value: { id: 'a', source: { kind: 'camera' } },
      error: 'f.source.kind must be "replay" or "live"',
    },
    {
      name: 'a replay without a trace',
      value: { id: 'a', source: { kind: 'replay' } },
      error: 'f.source.trace must be a file path',
    },
    {
      name: 'a live width of 0',
      value: { id: 'a', source: { ...LIVE, width: 0 } },
      error: 'f.source.width must be an integer from 1 to 4096',
    },
    {
      name: 'a live lattice over the spin budget',
      value: { id: 'a', source: { ...LIVE, width: 4096, height: 4096 } },
      error: 'at most 1048576 spins',
    },
    {
      name: 'a fractional seed',
      value: { id: 'a', source: { ...LIVE, seed: 1.5 } },
      error: 'f.source.seed must be an integer',
    },
    {
      name: 'an unknown live parameter',
      value: { id: 'a', source: { ...LIVE, params: { speed: 2 } } },
      error: 'f.source.params: unknown field "speed"',
    },
    {
      name: 'a non-finite live parameter',
      value: { id: 'a', source: { ...LIVE, params: { couplingK: 'x' } } },
      error: 'f.source.params.couplingK must be a finite number',
    },
    {
      name: 'a negative SLO',
      value: { id: 'a', source: REPLAY, sloMs: -1 },
      error: 'f.sloMs must be a number of milliseconds',
    },
    {
      name: 'an unknown field (a typo)',
      value: { id: 'a', source: REPLAY, visibilty: 'public' },
      error: 'f: unknown field "visibilty"',
    },
  ];
  it.each(BAD)('rejects $name, naming the field', ({ value, error }) => {
    expect(() => parseTenantSpec(value, 'f')).toThrow(TenantSpecError);
    expect(() => parseTenantSpec(value, 'f')).toThrow(error);
  });
});

describe('sourceKey', () => {
  it('is the same for equal sources whatever the key order, and differs otherwise', () => {
    expect(sourceKey({ kind: 'live', width: 2, height: 3, seed: 1 })).toBe(
      sourceKey(
        parseTenantSpec({ id: 'a', source: { seed: 1, height: 3, kind: 'live', width: 2 } }, 'f')
          .source,
      ),
    );
    expect(sourceKey({ kind: 'live', width: 2, height: 3, seed: 1 })).not.toBe(
      sourceKey({ kind: 'live', width: 2, height: 3, seed: 2 }),
    );
  });
});
