// The GPU threshold as an operator setting: the server's --gpu-threshold for every tenant, a
// tenant's own from the admin CLI or the tenants file, and the tenant summary saying which applied.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TenantSummary } from '../core/api/tenants';
import { parseServerConfig } from '../server/config';
import { parseTenantSpec } from '../server/tenants/tenant-spec';
import { writePatternTrace } from '../testing/pattern-trace';
import { tempDir } from '../testing/temp-dir';
import { startTenantServer, type TestServer } from '../testing/test-server';
import { runAdminCli, runAdminCommandCli } from '../testing/run-admin';

const admin = runAdminCli;

describe('the GPU threshold', () => {
  let server: TestServer;
  const summary = async (id: string) =>
    (await (await fetch(`${server.url}/api/tenants/${id}`)).json()) as TenantSummary;

  beforeAll(async () => {
    const dir = tempDir('gpu');
    const trace = path.join(dir, 'pattern.bin');
    await writePatternTrace(trace, 16, 8, 10);
    const spec = (id: string, extra: object = {}) => ({
      id,
      name: id,
      visibility: 'public' as const,
      source: { kind: 'replay' as const, trace },
      sloMs: 7,
      ...extra,
    });
    server = await startTenantServer({
      tenants: [spec('demo'), spec('laptops', { gpuThreshold: 3000 })],
      config: { gpuThreshold: 4000 },
      pollIntervalMs: 50,
    });
  });
  afterAll(async () => server?.close());

  it('comes from the server unless the tenant has its own, and says which', async () => {
    expect(await summary('demo')).toMatchObject({
      gpuThreshold: 4000,
      gpuThresholdSource: 'server',
    });
    expect(await summary('laptops')).toMatchObject({
      gpuThreshold: 3000,
      gpuThresholdSource: 'tenant',
    });
  });

  it('is set and cleared per tenant by the admin CLI, and a running server follows', async () => {
    expect(
      (await runAdminCommandCli(server.dataDir, 'tenant', 'set', 'demo', '--gpu-threshold', '2500'))
        .out,
    ).toBe('tenant demo: GPU threshold 2500 spins');
    await vi.waitFor(async () => expect((await summary('demo')).gpuThreshold).toBe(2500), {
      timeout: 5000,
    });
    expect(admin(server.dataDir, 'tenant', 'list').out).toMatch(/^demo\s.*\s2500\s+demo$/m);
    await runAdminCommandCli(server.dataDir, 'tenant', 'set', 'demo', '--gpu-threshold', 'default');
    await vi.waitFor(
      async () => expect(await summary('demo')).toMatchObject({ gpuThresholdSource: 'server' }),
      { timeout: 5000 },
    );
    expect(
      (await runAdminCommandCli(server.dataDir, 'tenant', 'set', 'demo', '--gpu-threshold', 'lots'))
        .code,
    ).toBe(2);
    expect(
      (await runAdminCommandCli(server.dataDir, 'tenant', 'set', 'nobody', '--gpu-threshold', '10'))
        .code,
    ).toBe(1);
  });

  it('refuses bad values in the tenants file and on the command line, naming them', () => {
    const base = { id: 'x', source: { kind: 'live', width: 4, height: 4 } };
    expect(() =>
      parseTenantSpec({ ...base, gpuThreshold: -1 }, 'tenants.json: tenants[0]'),
    ).toThrow(
      'tenants.json: tenants[0].gpuThreshold must be an integer from 0 to 16777216, got -1',
    );
    expect(parseServerConfig(['--gpu-threshold', '3000'], {})).toMatchObject({
      gpuThreshold: 3000,
    });
    expect(parseServerConfig([], {})).toMatchObject({ gpuThreshold: 5000 });
    expect(() => parseServerConfig([], { GPU_THRESHOLD: '3k' })).toThrow(
      'GPU_THRESHOLD must be a number of spins 0-16777216, got "3k"',
    );
  });
});
