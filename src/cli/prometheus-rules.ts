// Alert rules read by Prometheus itself: a throwaway Prometheus on a loopback port loads the rule
// files and answers /api/v1/rules, so the rules compared are exactly what Prometheus would run
// (its own YAML and PromQL parsing, each expression printed in one canonical form), and a file it
// would refuse is refused with its message.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AlertRule } from './alert-overlap';

export class RulesLoadError extends Error {}

const START_TIMEOUT_MS = 60_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface RulesApi {
  status: string;
  data: {
    groups: {
      name: string;
      file: string;
      rules: {
        type: 'alerting' | 'recording';
        name: string;
        query: string;
        duration?: number;
        labels?: Record<string, string>;
      }[];
    }[];
  };
}

/** The alerting rules of `files`, in file and group order. */
export async function loadAlertRules(
  files: readonly string[],
  binary: string,
): Promise<AlertRule[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'alert-overlap-'));
  const port = await freePort();
  const config = path.join(dir, 'prometheus.yml');
  // No scrapes; rules evaluated once an hour, never before we are done reading them.
  writeFileSync(
    config,
    [
      'global:',
      '  evaluation_interval: 1h',
      'rule_files:',
      ...files.map((f) => `  - ${JSON.stringify(path.resolve(f))}`),
      '',
    ].join('\n'),
  );
  const child = spawn(
    binary,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(-1));
  });
  let spawnError: Error | null = null;
  child.once('error', (error) => (spawnError = error));
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (spawnError) {
        throw new RulesLoadError(
          `cannot run ${binary} (${(spawnError as Error).message}): install Prometheus (Debian: apt-get install -y prometheus) or set PROMETHEUS_BIN`,
        );
      }
      if (child.exitCode !== null) {
        const why = stderr.split('\n').find((l) => /err|fail/i.test(l)) ?? stderr.trim();
        throw new RulesLoadError(`Prometheus refused the rules: ${why.slice(0, 2000)}`);
      }
      if (Date.now() > deadline) {
        throw new RulesLoadError(`Prometheus did not answer within ${START_TIMEOUT_MS / 1000} s`);
      }
      const answer = await fetch(`http://127.0.0.1:${port}/api/v1/rules?type=alert`).catch(
        () => null,
      );
      if (answer?.ok) {
        const body = (await answer.json()) as RulesApi;
        return body.data.groups.flatMap((g) =>
          g.rules
            .filter((r) => r.type === 'alerting')
            .map((r) => ({
              name: r.name,
              query: r.query,
              forSeconds: r.duration ?? 0,
              labels: r.labels ?? {},
              origin: `${path.relative(process.cwd(), g.file) || g.file} (${g.name})`,
            })),
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    if (child.exitCode === null && !spawnError) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
