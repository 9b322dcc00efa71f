// The server the HTTP and WebSocket targets fuzz: the real one in its own process.
import path from 'node:path';
import { tempDir } from '../../src/testing/temp-dir';
import { writeDrillTrace } from '../support/drill-trace';
import {
  demoOnlyTenantsFile,
  freePort,
  spawnServer,
  stopServer,
  waitHealthy,
} from '../support/server-process';
import { sleep } from '../support/sleep';

export interface FuzzServer {
  url: string;
  pid: number;
  /** An operator token granted the demo tenant: it may write demo tickets. */
  token: string;
  /** `Bearer SECRET` with the Alertmanager webhook secret of the server's data directory. */
  webhookAuthorization: string;
  close(): Promise<void>;
}

/** The real server (its own process) on a small replay, with the credentials that write. */
export async function startFuzzServer(): Promise<FuzzServer> {
  const work = tempDir('fuzz');
  const trace = path.join(work, 'pattern.bin');
  await writeDrillTrace(trace, 64, 48);
  const port = await freePort();
  const dataDir = path.join(work, 'data');
  const child = spawnServer({ port, dataDir, tenantsFile: demoOnlyTenantsFile(work, trace) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, 120_000, child);
    const { openTenantDatabase } = await import('../../src/server/tenants/schema');
    const { issueToken } = await import('../../src/server/tenants/token-store');
    const { readSecret } = await import('../../src/server/secrets');
    const db = openTenantDatabase(dataDir);
    const { token } = issueToken(db, { name: 'fuzz', tenants: ['demo'], role: 'operator' });
    db.close();
    const webhookAuthorization = `Bearer ${readSecret(dataDir, 'alertmanager')}`;
    // The server takes a new token at once; this only waits out a busy machine.
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${url}/api/tickets?limit=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.status === 200) break;
      await sleep(100);
    }
    return {
      url,
      pid: child.pid!,
      token,
      webhookAuthorization,
      close: async () => void (await stopServer(child)),
    };
  } catch (error) {
    await stopServer(child);
    throw error;
  }
}
